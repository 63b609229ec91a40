# Ödemeler (kılavuz §4.7): bildirim, e-postalar, Detay sayfasındaki bölüm, memurların görünümü.

## E-postalar
payment-mail-notice-subject = { $number } numaralı başvuru: ödeme bekleniyor
payment-mail-notice-intro = { $number } numaralı { $kind } başvurunuz ilk aşamada onaylandı. Başvurunun sonuçlanması için aşağıdaki tutarları son ödeme gününe kadar eksiksiz ödeyin.
payment-mail-amount = { $account } { $name }: { $amount } TL
payment-mail-quote = Bildirilecek yabancı kimlik numarası: { $foreigner_id } · İşlem Referans Numarası: { $reference }
payment-mail-deadline = Son ödeme günü: { $deadline } (Türkiye saati).
payment-mail-foreigner-id-assigned = Yabancı kimlik numaranız olmadığı için idare size { $foreigner_id } numarasını verdi. Ödemenizde bu numarayı bildirin; numara Kullanıcı Bilgilerinizde de yer alıyor.
payment-mail-ways = İki yoldan biriyle ödeyebilirsiniz:
payment-mail-deadline-rule = Ödeme 30 gün içinde yapılmazsa başvuru reddedilir ve bu karara itiraz edilemez.
payment-mail-reminder-subject = { $number } numaralı başvuru: ödeme için bir hafta kaldı
payment-mail-reminder-intro = { $number } numaralı { $kind } başvurunuz hâlâ ödeme bekliyor. Bir hafta kaldı.
payment-mail-repriced-subject = { $number } numaralı başvuru: yeni yılla ödenecek tutarlar değişti
payment-mail-repriced-intro = { $number } numaralı { $kind } başvurunuz hâlâ ödeme bekliyor. Harçlar ödendikleri yılın tarifesiyle alınır; 1 Ocak { $year } tarihinden itibaren aşağıdaki tutarlar ödenmelidir.
payment-mail-expired-subject = { $number } numaralı başvuru: ödeme süresinde yapılmadığı için reddedildi
payment-mail-expired-intro = { $number } numaralı { $kind } başvurunuz, ödeme { $deadline } tarihine kadar yapılmadığı için reddedildi.
payment-mail-expired-late = Süresinde ödediyseniz ve ödemeniz bize yalnızca geç ulaştıysa dekontunuzla idareye başvurun: bir memur ödemeyi sayabilir.
payment-expired-reason = Ödeme 30 gün içinde yapılmadı — itiraz edilemez.
payment-repriced-reason = Tutarlar { $year } tarifesiyle yeniden hesaplandı: 1 Ocak'ta hâlâ açık olan bir ödeme yeni yılın tarifesiyle yapılır.

## Başvurunun Detay sayfası
payment-title = Ödeme
payment-lead = Aşağıdaki her tutarı son ödeme gününe kadar eksiksiz ödeyin. Dekont göndermenize gerek yoktur: ödeme bize kendiliğinden ulaşır.
payment-amount = Tutar
payment-account = Hesap kodu
payment-account-name = Ödeme konusu
payment-state = Durum
payment-paid = Ödendi
payment-unpaid = Henüz ödenmedi
payment-foreigner-id = Bildirilecek yabancı kimlik numarası
payment-foreigner-id-assigned = idare tarafından size verildi
payment-reference = İşlem Referans Numarası
payment-deadline = Son ödeme günü
payment-deadline-note = gün sonuna kadar, Türkiye saatiyle
payment-institution = Kurum
payment-ways = Nasıl ödenir
payment-way-digital = (a) Dijital Vergi Dairesi
payment-way-bank = (b) Anlaşmalı banka
payment-rates-year = { $year } tarifesiyle.
payment-rates-earlier = { $year } yılında ödenirse: { $amount } TL.
payment-rates-missing = { $year } tarifesi henüz yayımlanmadı: yukarıdaki tutarlar { $previous } tarifesidir ve değişebilir. Size yazacağız.
payment-settled = Tüm tutarlar ödendi.
payment-expired = Son ödeme günü tam ödeme yapılmadan geçti: başvuru reddedildi.

## Memurlar
payment-officer-title = Ödemeler
payment-officer-open = Ödeme bekleyenler
payment-officer-unmatched = Hiçbir başvuruya sayılamayan ödemeler
payment-officer-unmatched-lead = Her biri, iade işlemi için ya da süresinde yapılıp retten sonra ulaştıysa başvuruyu yeniden açmak için gerekçesiyle saklandı.
payment-officer-missing-rates = Açık { $count } ödeme hâlâ eski yılın tarifesinde: harç tablosunda yeni yılın tutarları yok.
payment-officer-none = Burada bir şey yok.
payment-officer-received = Ulaştı
payment-officer-paid-at = Ödeme zamanı
payment-officer-channel = Kanal
payment-officer-reason = Gerekçe
payment-officer-application = Başvuru
payment-officer-payer = Ödeyen
payment-officer-record = Ödemeyi elle kaydet
payment-officer-record-lead = Yalnızca portala hiç ulaşmamış bir ödeme için (elden getirilen dekont). Başvuruyu onaylayandan başka bir onaylayıcı kaydetmelidir.
payment-officer-paid-on = Ödeme günü (YYYY-AA-GG)
payment-officer-bank = Banka
payment-officer-receipt-no = Dekont numarası
payment-officer-why = Neden elle
payment-officer-record-submit = Ödemeyi kaydet
payment-officer-reinstate = Ödemeyi say ve başvuruyu yeniden aç
payment-officer-reinstate-reason = Gerekçe
payment-officer-recorded = Ödeme kaydedildi.
payment-officer-reinstated = Ödeme sayıldı.
payment-channel-notification = Dijital Vergi Dairesi
payment-channel-bank_file = Banka dosyası
payment-channel-manual = Elle
payment-unmatched-unknown_reference = Bu ödeyenin böyle bir borcu yok
payment-unmatched-wrong_amount = Ödenmesi gereken tutar değil
payment-unmatched-already_paid = Zaten ödenmiş
payment-unmatched-not_pending = Başvuru artık ödeme beklemiyor
payment-unmatched-ambiguous = Ödeyenin iki başvurusu aynı tutarı bekliyor
payment-unmatched-paid_on_time_arrived_late = Süresinde ödenmiş, retten sonra ulaşmış

## Hatalar
payment-reason-required = Gerekçeyi yazın.
payment-account-unknown = Başvurunun hesap kodlarından birini seçin.
payment-amount-invalid = Tutarı nokta ve iki ondalıkla yazın, örneğin 964.00.
payment-date-invalid = Ödeme gününü YYYY-AA-GG biçiminde yazın.
payment-receipt-incomplete = Bankayı ve dekont numarasını birlikte verin ya da hiçbirini vermeyin.
payment-same-officer = Bu başvuruyu siz onayladınız: ödemesini başka bir onaylayıcı kaydetmelidir.
payment-not-reinstatable = Bu dekont başvuruyu yeniden açamaz.
payment-nothing-due = Bu başvuru için ödenecek bir şey yok.

## Demodaki Dijital Vergi Dairesi
dev-pay-title = Dijital Vergi Dairesi (demo)
dev-pay-lead = Bu sayfa Gelir İdaresinin "Referans Numarası İle Ödeme" ekranını canlandırır ve yalnızca demo kipinde vardır: burada ödemek, gerçek dairenin yapacağı gibi portala imzalı bir ödeme bildirimi gönderir.
dev-pay-find = Tutarları göster
dev-pay-pay = Öde
dev-pay-paid = Ödendi: { $account } { $amount } TL.
dev-pay-not-found = Bu yabancı kimlik numarası ve İşlem Referans Numarasıyla bekleyen bir ödeme yok.
