## Muafiyet Belgesi (iki dilde basılır: bunlar Türkçe yarısıdır)
proof-authority-labour = T.C. Çalışma ve Sosyal Güvenlik Bakanlığı
proof-authority-migration = T.C. İçişleri Bakanlığı Göç İdaresi Başkanlığı
proof-title-work-permit-exemption = Çalışma İzni Muafiyeti Belgesi
proof-field-number = Belge numarası
proof-field-first-name = Adı
proof-field-last-name = Soyadı
proof-field-nationality = Uyruğu
proof-field-birth-date = Doğum tarihi
proof-field-foreigner-id = Yabancı Kimlik No
proof-field-passport-number = Pasaport numarası
proof-field-category = Muafiyet kategorisi
proof-field-sector = Sektör
proof-field-occupation = Meslek
proof-field-workplace = İşyeri
proof-field-valid-from = Geçerlilik başlangıcı
proof-field-valid-until = Geçerlilik bitişi
proof-field-issued-on = Düzenlenme tarihi
proof-field-verification-code = Doğrulama kodu
proof-how-to-verify = Bu belgeyi { $url } adresinde numarası ve doğrulama koduyla ya da QR kodu okutarak doğrulayabilirsiniz. QR kod, { $keys } adresinde yayımlanan anahtarlarla çevrim dışı da doğrulanabilen bir elektronik imza taşır.
proof-photo-placeholder = Fotoğraf

## Başvurunun Detay sayfasındaki belge
document-heading = Belgeniz
document-being-prepared = Belgeniz hazırlanıyor. Onay e-postasına eklenecek ve buradan indirilebilecek.
document-number = Belge numarası
document-code = Doğrulama kodu
document-status = Durum
document-download = Muafiyet Belgesini indir (PDF)
document-verify-hint = Belgeyi gösterdiğiniz herkes, numarası ve koduyla /verify adresinde doğrulayabilir.

## /verify
verify-title = Belge doğrulama
verify-lead = Belgenin üzerindeki belge numarasını ve doğrulama kodunu girin ya da QR koddaki bağlantıyı açın.
verify-number = Belge numarası
verify-number-hint = Basıldığı gibi, örneğin 2026-0001234-56.
verify-code = Doğrulama kodu
verify-code-hint = On harf ve rakam, örneğin ABCDE-FGHJK.
verify-submit = Doğrula
verify-result = Sonuç
verify-not-found = Bu numara ve doğrulama koduyla bir belge yok. İkisini de belgede basıldığı gibi kontrol edin.
verify-number-invalid = Bu bir belge numarası değil: 2026-0001234-56 gibi 13 rakamdan oluşur. Rakamları basıldığı gibi kontrol edin.
verify-code-invalid = Bu bir doğrulama kodu değil: ABCDE-FGHJK gibi on harf ve rakamdan oluşur.
verify-too-many = Bağlantınızdan çok fazla deneme yapıldı. Birkaç dakika bekleyip yeniden deneyin.
verify-being-prepared = Bu belge hazırlanıyor. Birkaç dakika sonra yeniden deneyin.
verify-holder = Belge sahibi
verify-grants = Verdiği hak
verify-validity = Geçerlilik
verify-valid-range = { $from } – { $until }
verify-photo-alt = Belge sahibinin belgede basılı fotoğrafı
verify-signature-valid = QR koddaki elektronik imza geçerlidir.
verify-signature-invalid = QR koddaki elektronik imza bu belgeyle uyuşmuyor: QR kod değiştirilmiş olabilir.
verify-status-VALID = GEÇERLİ
verify-status-NOT_YET_VALID = HENÜZ GEÇERLİ DEĞİL
verify-status-EXPIRED = SÜRESİ DOLMUŞ
verify-status-CANCELLED = İPTAL EDİLMİŞ
verify-status-REPLACED = YENİSİYLE DEĞİŞTİRİLMİŞ
verify-explain-VALID = Belge gerçektir ve bugün geçerlidir.
verify-explain-NOT_YET_VALID = Belge gerçektir; geçerliliği henüz başlamamıştır.
verify-explain-EXPIRED = Belge gerçektir; geçerlilik süresi sona ermiştir.
verify-explain-CANCELLED = Belge idare tarafından iptal edilmiştir ve hiçbir hak vermez.
verify-explain-REPLACED = Bu belgenin yerine daha yeni bir belge (yeni kart) düzenlenmiştir: belge sahibinden yenisini isteyin.
verify-grants-work-permit-exemption = Çalışma izni muafiyeti: { $category }
verify-grants-residence-permit = İkamet izni
card-how-to-verify = /verify adresinde numara ve kodla ya da QR kodu okutarak doğrulayın.

## Postadaki kart
card-mail-out-for-delivery-subject = Kartınız dağıtıma çıktı ({ $tracking })
card-mail-out-for-delivery-body = { $number } numaralı belgenizin kartı bugün PTT Kargo ile dağıtıma çıktı, takip numarası { $tracking }, adres:
    { $address }
    Başvuru sayfanızdan izleyebilirsiniz: { $link }
card-mail-returned-subject = Kartınız teslim edilemedi ({ $tracking })
card-mail-returned-body = PTT Kargo, { $number } numaralı belgenizin kartını ({ $tracking } takip numarası) şu adrese teslim edemedi:
    { $address }
    Kart idareye geri döndü ve yeniden gönderilecek. Adres yanlışsa doğrusunu idareye bildirin. Başvuru sayfanız: { $link }
shipment-heading = Kartınız postada
shipment-tracking = Takip numarası
shipment-address = Adres
shipment-status = Durum
shipment-status-created = PTT Kargo'ya teslim edildi
shipment-status-accepted = PTT Kargo kabul etti
shipment-status-in_transit = Yolda
shipment-status-out_for_delivery = Dağıtımda
shipment-status-delivered = Teslim edildi
shipment-status-returned_to_sender = İdareye geri döndü
shipment-waiting = Kartınız basılacak ve verdiğiniz adrese PTT Kargo ile gönderilecek.

## Memurların kartları
officer-cards-title = Basılacak kartlar
officer-cards-lead = Kartı basılmayı ve PTT Kargo'ya teslim edilmeyi bekleyen belgeler. Seçilen kartları tek PDF olarak indirin (ID-1, ön ve arka yüz), basın, sonra basıldı olarak işaretleyin: her biri takip numaralı bir gönderi olur.
officer-cards-none = Basılmayı bekleyen kart yok.
officer-cards-choose = Seç
officer-cards-number = Belge
officer-cards-holder = Belge sahibi
officer-cards-address = Teslim adresi
officer-cards-printed = Basıldı, teslim edilmedi
officer-cards-download = Seçilen kartları indir (PDF)
officer-cards-mark = Seçilen kartları basıldı olarak işaretle ve PTT Kargo'ya teslim et
officer-cards-shipped = { $count } kart PTT Kargo'ya teslim edildi.
officer-cards-failed = Teslim edilemedi: { $number } ({ $reason }). Yeniden deneyin.
officer-cards-nothing-chosen = İdarenize ait en az bir kart seçin.
officer-cards-returned = PTT Kargo'dan dönenler
officer-cards-returned-none = Geri dönen kart yok.
officer-cards-new-address = Düzeltilmiş adres
officer-cards-reship = Yeniden gönder
officer-cards-reshipped = Yeniden gönderildi: takip numarası { $tracking }.
officer-cards-address-required = Düzeltilmiş adresi yazın.
officer-cards-not-reshippable = Bu kart yeniden gönderilemez (zaten yeniden gönderilmiş ya da geri dönmemiş).
officer-nav-cards = Kartlar

## Demonun PTT Kargo'su
dev-cargo-title = PTT Kargo (demo)
dev-cargo-lead = Bu sayfa PTT Kargo'yu canlandırır ve yalnızca demo kipinde vardır: bir gönderiyi ilerletmek, gerçek kargonun yapacağı gibi portala imzalı bir durum bildirimi gönderir.
dev-cargo-none = Yolda gönderi yok.
dev-cargo-next = Bildir: { $status }
dev-cargo-return = Bildir: göndericiye iade
dev-cargo-reported = { $tracking } için { $status } bildirildi.
