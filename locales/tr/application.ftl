# Yeni Başvuru (kılavuz §3), Başvurularım ve başvuru ayrıntısı (kılavuz §4).

wizard-title = Yeni Başvuru
wizard-resume = Kaldığınız yerden devam edin
wizard-saved = Kaydedildi. Ayrılabilir, daha sonra Başvurularım sayfasından devam edebilirsiniz.
wizard-previous = Önceki
wizard-next = Sonraki
wizard-save-continue = Kaydet ve Devam Et
wizard-steps = Başvuru adımları
wizard-step-of = Adım { $step } / { $total }
wizard-draft-number = { $date } tarihinde başlatılan taslak

step-inquiry = Aktif İkamet Hakkı Sorgulama
step-place = Başvuru Yeri
step-category = Başvuru Türü
step-consent = KVKK (Kişisel Verilerin Korunması Kanunu) Açık Rıza
step-employment = İşyeri ve İşveren Bilgileri
step-documents = Destekleyici Belgeler
step-additional = Ek Belgeler
step-preview = Başvuru Önizleme

inquiry-completed = Sorgulama (Tamamlandı)
inquiry-active-right = Aktif İkamet Hakkı
inquiry-yes = Var
inquiry-no = Yok
inquiry-right-details = { $kind }, { $from } – { $until } tarihleri arasında geçerli
inquiry-no-foreigner-id = Yabancı kimlik numaranızı girmediyseniz lütfen "Kullanıcı Bilgileri" bölümünden girerek yeniden başvurmayı deneyiniz.
inquiry-go-to-profile = Kullanıcı Bilgilerine git
inquiry-unavailable = İkamet hakkı sorgulaması şu anda yapılamadı. Yine de başvurabilirsiniz: aşağıdan başvuru yerini seçin ya da birkaç dakika sonra yeniden deneyin.
right-kind-residence_permit = İkamet izni
right-kind-work_permit = Çalışma izni
right-kind-work_permit_exemption = Çalışma izni muafiyeti

place-domestic = Yurt İçi Başvuru (Türkiye'deyim ya da aktif ikamet hakkım var)
place-abroad = Yurt Dışı Başvuru (Türkiye dışındayım)
place-confirmation = Doğrulama İçin Gerekli Bilgiler
place-passport-number = Yabancının Ülkeye Giriş Yaptığı Pasaport Numarası
place-passport-country = Pasaportu Veren Ülke
place-reference-number = Referans Numarası
place-reference-number-hint = Yurt dışındaki Türk dış temsilciliğinden (büyükelçilik veya konsolosluk) aldığınız 16 karakterlik referans numarası.
place-domestic-with-right = Aktif ikamet hakkınız var: başka bilgi gerekmiyor.
place-check = Sorgula
place-continue = Başvuru Türü Seçimine Devam Et
place-confirmed-right = Doğrulandı: aktif ikamet hakkınız var.
place-confirmed-entry = Doğrulandı: { $passport } numaralı pasaportla Türkiye'ye girişiniz bulundu.
place-confirmed-entry-previous = Doğrulandı: önceki { $passport } numaralı pasaportunuzla Türkiye'ye girişiniz bulundu.
place-own-passport-lead = Türkiye'ye girişiniz, Pasaport Bilgilerinizdeki pasaport ve Kişisel Bilgilerinizdeki doğum yılı ile aranır:
place-own-passport-missing = Pasaport Bilgilerinde pasaport numaranızı ve pasaportu veren ülkeyi, Kişisel Bilgilerde doğum tarihinizi girin: Türkiye'ye girişiniz bunlarla kontrol edilir.
place-own-passport-change = Pasaport Bilgilerini değiştir
place-birth-year = Doğum Yılı
place-previous-passport = Türkiye'ye önceki pasaportumla giriş yaptım (pasaportum girişten sonra yenilendi)
place-previous-passport-hint = Bunu yalnızca giriş yaptığınız pasaport Pasaport Bilgilerindeki pasaport değilse işaretleyin. Girişiniz o zaman önceki pasaportla ve Kişisel Bilgilerdeki doğum yılıyla aranır; uzman taranmış halini görür.
field-previous_passport_number = Türkiye'ye Giriş Yaptığınız Önceki Pasaportun Numarası
field-previous_passport_country = Önceki Pasaportu Veren Ülke
field-previous_passport_scan_document_id = Önceki Pasaportun Kimlik Sayfasının Taranmış Hali
field-previous_passport_scan_document_id-hint = Fotoğrafınızın ve kimlik bilgilerinizin bulunduğu sayfa; en fazla 10 MB'lık PDF, JPEG ya da PNG dosyası.
place-confirmed-reference = Doğrulandı: { $reference } referans numarası pasaportunuzla eşleşiyor.
place-change = Başvuru yerini değiştir

category-title = Başvuru Türü Seçimi
category-sector = Sektör
category-category = Kategori
category-warning = Çalışma izni muafiyetinin sektörünü ve kategorisini doğru seçiniz. Yanlış tür seçilerek yapılan başvurular reddedilecektir.
category-internship-tip = Zorunlu staj için şunu seçin: Eğitim Sektörü → Staj / Zorunlu Staja Tabi Öğrenci (n).
category-longest = En çok { $months ->
    [one] 1 ay
   *[other] { $months } ay
}
category-choose = Bir kategori seçin
category-continue = Devam Et
category-legal = Hukuki dayanak: { $reference }

consent-title = KVKK (Kişisel Verilerin Korunması Kanunu) Açık Rıza
consent-read = Lütfen aşağıdaki aydınlatma metnini okuyun, ardından açık rızanızı verin.
consent-statement = Açık rıza beyanı
consent-checkbox = Aydınlatma metnini okudum ve yukarıda belirtildiği şekilde açık rızamı veriyorum.
consent-given = Rızanızı { $date } tarihinde verdiniz (metin sürümü { $version }).

employment-title = İşyeri ve İşveren Bilgileri
employment-limit = Seçtiğiniz çalışma izni muafiyeti kategorisi kapsamında en fazla { $months ->
    [one] 1 ay
   *[other] { $months } ay
} süreyle başvuru yapabilirsiniz. Bu süreleri aşan talepleriniz için çalışma izni başvurusu yapılması gerekecektir.
employment-period-heading = Çalışma İzni Muafiyeti İçin Talep Edilen Tarih Aralığı
employment-address-heading = Muafiyet belgenizin gönderileceği yer
employment-employer-heading = Türkiye'de Çalışacağınız İşyeri ve İşveren Bilgileri
employment-address-found = Adres: { $address }
employment-workplace-found = İşyeri: { $name }
employment-contract-current = Yüklü dosya: { $name }
employment-contract-choose = Ya da belgelerinizden birini seçin

field-occupation_code = Çalışma İzni Muafiyeti Kapsamındaki Mesleğiniz
field-occupation_code-hint = Kod ya da adla aramak için yazın; stajyerler için örneğin 9901.02 Stajyer (Öğrenci).
field-start_date = Talep Edilen Muafiyet Başlangıç Tarihi
field-end_date = Talep Edilen Muafiyet Bitiş Tarihi
field-period-hint = Gün/ay/yıl olarak, örneğin 04/01/2027.
field-certificate_requested = Çalışma izni muafiyeti belgesi talep ediyor musunuz?
certificate-no = Hayır, belge talep etmiyorum
certificate-yes = Evet, başvurum onaylanırsa değerli kâğıt bedelini ödemeyi kabul ediyor ve belge talep ediyorum
field-certificate_requested-hint = Talep etmezseniz onayı gösteren doğrulanabilir bir belge ücretsiz olarak e-posta adresinize gönderilir.
field-residential_code = Muafiyet Belgesinin Gönderilmesini İstediğiniz Yerin Adres Kodu
field-residential_code-hint = 10 haneli. https://adres.nvi.gov.tr adresindeki NVİ Adres Sorgulama Sisteminden öğrenilebilir.
field-address_type = Belgenizin Gönderilmesini İstediğiniz Adres Bilgisi
address-type-residence = İkamet adresim
address-type-workplace = İşyeri adresim
address-type-different = Farklı bir adres
field-province = Türkiye'de Çalışacağınız İl
field-district = Türkiye'de Çalışacağınız İlçe
field-about = Başvurunuz Hakkında
field-about-hint = Başvurunuzun amacını ve yapılacak işin kapsamını yazın. Staj için örneğin: "… Üniversitesi Bilgisayar Mühendisliği 3. sınıf öğrencisiyim. 04/01/2027 ile 29/01/2027 arasında … şirketinde 20 iş günlük zorunlu stajımı tamamlamak için çalışma izni muafiyeti talep ediyorum."
field-has_employer = Lütfen Seçiniz
field-has_employer-name = Türkiye'de çalışacağınız işyeri belli ve işvereniniz var mı?
employer-yes = Türkiye'de çalışacağım işyeri belli ve bir işverenim var.
employer-no = Türkiye'de belli bir işyerim ya da işverenim yok.
field-sgk_number = İşyeri SGK Sicil Numarası
field-sgk_number-hint = İşyerinin 26 haneli Sosyal Güvenlik Kurumu (SGK) sicil numarası. Boşluk bırakabilirsiniz.
field-monthly_gross_salary = Aylık Brüt Ücret
field-monthly_gross_salary-hint = Alacağınız aylık brüt ücret tutarı; ücretsiz staj için 0 girin.
field-currency = Ödeme Para Birimi
field-employment_contract_document_id = İş Sözleşmesi
field-employment_contract_document_id-hint = İmzalı iş sözleşmesinin taranmış hâlini yükleyin (zorunlu stajda: Staj Başvuru Formunuz). PDF, JPEG ya da PNG, en çok 10 MB.
field-insurance_paid = Çalışmanızın Sigorta Primleri Nasıl Ödenecek?
insurance-domestic = Sigorta primlerim yurt içinden ödenecek.
insurance-abroad = Sigorta primlerim yurt dışından ödenecek.
field-category = Kategori
field-place = Başvuru Yeri
field-passport_country = Pasaportu Veren Ülke
field-reference_number = Referans Numarası
field-kvkk_explicit_consent = Açık rıza
field-other_information = Diğer Bilgiler
field-document_ids = Belgeler
field-file = Dosya
field-slot = Belge

documents-step-lead = Kategorinizin istediği belgeleri PDF ya da görüntü dosyası olarak yükleyin. Daha önce yüklediğiniz bir belge yeniden kullanılabilir.
slot-required = Zorunlu
slot-optional = İsteğe bağlı
slot-count = { $count } / { $max }
slot-upload = Dosya Yükle
slot-reuse = Belgelerinizden birini kullanın
slot-reuse-none = Burada kullanılabilecek başka belgeniz yok.
slot-use = Kullan
slot-remove = Kaldır
slot-full-note = Bu alan dolu. Başka bir dosya eklemek için önce birini kaldırın.

additional-lead = Bu sayfa zorunlu değildir. Değerlendirmede önemli olduğunu düşündüğünüz ya da diğer alanlara sığmayan bilgi ve belgeleri ekleyebilirsiniz.
additional-add = Diğer Belge Ekle
additional-save = Kaydet
additional-none = Henüz ek belge yok.
additional-preview = Başvuru Önizlemesini Göster

preview-attention = Dikkat! Başvurunuz henüz oluşturulmadı!
preview-check = Lütfen girdiğiniz tüm bilgileri kontrol ederek başvurunuzu tamamlayın ya da düzenleme ekranına dönün.
preview-kind = Başvuru Türü
preview-entered-on = Türkiye'ye Giriş Tarihi
preview-previous-passport = Önceki Pasaport (beyan edilen)
preview-previous-passport-yes = Evet: başvuru sahibi bu pasaportla giriş yaptı; Pasaport Bilgilerindeki pasaport girişten sonra verildi.
preview-place = Başvuru Yeri
preview-job = Meslek ve İşveren Bilgileri
preview-note = Lütfen kontrol edin
preview-occupation = Seçilen Meslek
preview-period = Muafiyet İçin Talep Edilen Tarih Aralığı
preview-document-sent = Belge gönderilecek mi?
preview-reason = Çalışma İzni Muafiyeti Talep Gerekçesi
preview-has-employer = İşvereni Var mı?
preview-additional = Ek Bilgi ve Belgeler
preview-description = Açıklama
preview-documents = Belgeler
preview-fees = Başvurunuz onaylanırsa ödenecek harçlar
preview-fee-exemption = Çalışma izni muafiyeti harcı
preview-fee-paper = Değerli kâğıt bedeli
preview-fee-total = Toplam
preview-no-fee = Harç alınmaz.
preview-fee-after-review = 0 ₺ veya incelemenin belirleyeceği tutar: inceleme sonrasında e-posta ile bilgilendirileceksiniz.
comparison-differs = Farklı
preview-fee-note = Ödemeyi yalnızca ilk aşama onayından sonra, e-postada bildirildiği şekilde yaparsınız.
preview-back = Düzenleme Ekranına Geri Dön
preview-create = Başvurumu Oluştur
preview-blocked = Başvurunuz henüz oluşturulamaz. Önce şunları düzeltin:
preview-fix = Düzelt
preview-none = —
preview-yes = Evet
preview-no = Hayır
preview-revision-lead = Uzman değişiklik istedi. Başvurunuzu kontrol edin, ardından yeniden değerlendirmeye gönderin.
preview-resubmit = Revizyonumu Gönder

created-title = Başvurunuz oluşturuldu
created-number = Başvuru numarası: { $number }
created-mail = { $email } adresine bir onay gönderildi. Başvurunuzu Başvurularım sayfasından takip edebilirsiniz.
resubmitted = Revizyonunuz gönderildi. Başvurunuz yeniden değerlendirmede.
already-created = Bu başvuru zaten oluşturuldu; bu nedenle yeniden gönderilmedi. Numarası ve geçmişiyle birlikte burada.

rule-profile-incomplete = Kullanıcı Bilgileriniz eksik ({ $count ->
    [one] 1 eksik bilgi
   *[other] { $count } eksik bilgi
}).
rule-category-missing = Muafiyetin sektörünü ve kategorisini seçin.
rule-place-missing = Başvuru yerini seçin ve doğrulayın.
rule-entry-deadline-passed = Türkiye'ye { $entered } tarihinde giriş yaptınız; yurt içi başvuru girişten itibaren { $days } gün içinde, en geç { $last_day } tarihinde yapılır. Bunun yerine bir Türk büyükelçiliği veya konsolosluğundan alacağınız referans numarasıyla yurt dışından başvurun.
rule-place-confirm-again = Türkiye'ye girişinizin yeniden kontrol edilmesi için başvuru yerini tekrar onaylayın.
rule-place-check-outdated = Türkiye'ye girişiniz doğrulandıktan sonra Kullanıcı Bilgilerinizdeki pasaport ya da doğum tarihi değişti. Girişin bunlarla kontrol edilmesi için başvuru yerini tekrar onaylayın.
rule-previous-passport-scan-missing = Önceki pasaportunuzun kimlik sayfasının taranmış hali artık belgeleriniz arasında yok. Başvuru yerini taranmış haliyle tekrar onaylayın.
rule-consent-missing = KVKK metnine açık rızanızı verin.
rule-field-missing = "{ $label }" alanını doldurun.
rule-employer-incomplete = İşvereniniz var: "{ $label }" alanını doldurun.
rule-start-in-past = Talep edilen başlangıç tarihi geçti. Bugünü ya da daha sonraki bir tarihi seçin.
rule-end-before-start = Talep edilen bitiş tarihi başlangıç tarihinden sonra olmalıdır.
rule-period-too-long = Kategoriniz en çok { $months } aya izin veriyor. Talep ettiğiniz süreyi kısaltın ya da çalışma izni için başvurun.
rule-occupation-not-for-category = Kategoriniz yalnızca { $codes } kodlu mesleği kabul ediyor. İşyeri ve İşveren Bilgileri adımında onu seçin.
rule-passport-expires-too-soon = Pasaportunuz muafiyetin bitiminden sonra en az { $days } gün daha geçerli olmalıdır: muafiyeti en geç { $latest } tarihinde bitirin ya da pasaportunuzu yenileyip Kullanıcı Bilgilerini güncelleyin.
rule-other-application-pending = Değerlendirmede olan bir başvurunuz var{ $number ->
    [none] {""}
   *[other] {" "}({ $number })
}. O sonuçlandığında yeniden başvurabilirsiniz.
rule-waiting-period = Bu kategoride bir muafiyetiniz vardı. Yenisi, bittiği tarihten { $months } ay sonra, { $date } tarihinden itibaren başvurulabilir.
rule-document-missing = "{ $label }" belgesini yükleyin.

choice-required = Seçeneklerden birini seçin.
reference-number-shape = Referans numarası, size verildiği şekliyle tam 16 harf ve rakamdan oluşur.
reference-number-unknown = Türk dış temsilciliklerince verilmiş böyle bir referans numarası yok. Her karakteri kontrol edin.
reference-number-mismatch = Bu referans numarası başka bir pasaport ya da doğum tarihi için verilmiş. Numarayı ve Kullanıcı Bilgilerindeki pasaport numarası ile doğum tarihini kontrol edin.
reference-number-needs-profile = Önce Kullanıcı Bilgilerinde pasaport numaranızı ve doğum tarihinizi girin: referans numarası bunlarla karşılaştırılır.
passport-not-in-turkiye = { $year } doğumlu bir kişiye ait { $passport } ({ $country }) pasaportuyla Türkiye'ye giriş bulunamadı (ya da son geçiş bir çıkış). Pasaport Bilgilerindeki pasaport numarasını ve pasaportu veren ülkeyi, Kişisel Bilgilerdeki doğum tarihinizi kontrol edin. Önceki bir pasaportla girdiyseniz aşağıda bildirin; Türkiye dışındaysanız Yurt Dışı Başvuru'yu seçin.
passport-not-yours = Bu sizin pasaportunuz değil: Pasaport Bilgilerinizdeki pasaport { $passport } ({ $country }). Pasaport Bilgileriniz güncel değilse düzeltin; Türkiye'ye önceki bir pasaportla girdiyseniz onu önceki pasaportunuz olarak bildirin.
entry-needs-profile = Önce Pasaport Bilgilerinde pasaport numaranızı ve pasaportu veren ülkeyi, Kişisel Bilgilerde doğum tarihinizi girin: Türkiye'ye girişiniz bunlarla kontrol edilir.
previous-passport-is-current = Bu, Pasaport Bilgilerinizdeki pasaport. Önceki pasaportu yalnızca Türkiye'ye başka bir pasaportla girdiyseniz bildirin.
previous-passport-scan-required = Önceki pasaportun kimlik sayfasının taranmış halini yükleyin (PDF, JPEG ya da PNG).
entry-deadline-passed = Türkiye'ye { $entered } tarihinde giriş yaptınız. Yurt içi başvuru girişten itibaren { $days } gün içinde yapılır; son gün { $last_day } idi. Yine de yurt dışından başvurabilirsiniz: bir Türk büyükelçiliği veya konsolosluğundan referans numarası alın ve Yurt Dışı Başvuru'yu seçin.
place-abroad-with-residence-right = Türkiye'de aktif ikamet hakkınız var: Yurt İçi Başvuru'yu seçin.
parent-mismatch = Başka bir başvuruya ilişkin başvuru türlerinde, yalnızca o zaman, ilgili başvuruyu belirtin.
category-unknown = Listeden bir kategori seçin.
consent-required = Açık rızanızı vermek için kutuyu işaretleyin; rıza olmadan başvuru yapılamaz.
occupation-unknown = Listeden bir meslek seçin (NNNN.NN kodlu).
occupation-not-for-category = Bu kategoride yalnızca { $codes } kodlu meslek seçilebilir: listeden onu seçin.
start-in-past = Başlangıç tarihi geçti. Bugünü ya da daha sonraki bir tarihi seçin.
end-before-start = Bitiş tarihi başlangıç tarihinden sonra olmalıdır.
period-too-long = Kategoriniz en çok { $months } aya izin veriyor: daha erken bir bitiş tarihi seçin.
address-code-shape = Adres kodu tam 10 rakamdan oluşur.
address-code-unknown = Bu adres kodu adres kayıt sisteminde bulunamadı. https://adres.nvi.gov.tr adresinden kontrol edin.
province-unknown = Listeden bir il seçin.
district-unknown = Seçilen ilin bir ilçesini seçin.
sgk-number-shape = SGK sicil numarası yalnızca rakamlardan oluşur: işvereninizin SGK belgelerindeki gibi 26 rakam (boşluk bırakılabilir).
sgk-number-length = SGK sicil numarası 26 rakamdır; siz { $count } rakam yazdınız. Numarayı işvereninizin SGK belgelerinden yeniden kopyalayın.
sgk-number-sector = SGK sicil numarasının ilk rakamı (sektör) 1 ile 5 arasındadır; siz { $found } yazdınız. Numaranın başını kontrol edin.
sgk-number-province = SGK sicil numarasının 17–19. rakamları il kodudur (001 ile 081 arası); siz { $found } yazdınız. Numaranın ortasını işvereninizle kontrol edin.
sgk-number-unknown = Bu SGK sicil numarasıyla bir işyeri bulunamadı. Numarayı işvereninizle kontrol edin.
workplace-elsewhere = Lütfen kontrol edin: bu SGK sicil numarasındaki işyeri { $registered } ilinde kayıtlı, ancak { $work } ilinde çalışacağınızı belirttiniz. Bu doğruysa (örneğin bir şubede çalışacaksanız) devam edin; değilse İşyeri ve İşveren Bilgileri adımında ili veya SGK numarasını düzeltin.
salary-invalid = Tutarı sayı olarak girin, örneğin 25000 ya da 25000.50 (0 girilebilir).
salary-negative = Maaş eksi olamaz. Aylık brüt tutarı girin; ücretsiz staj için 0 yazın.
currency-unknown = Listeden bir para birimi seçin.
slot-unknown = Bu belge kategorinizde istenmiyor.
slot-full = Bu alana en çok { $max } dosya yüklenebilir. Önce birini kaldırın.
too-many-documents = En çok { $max } ek belge eklenebilir.
registry-unavailable = { $registry } kaydı yanıt vermedi. Yazdıklarınız korunuyor: birkaç dakika sonra yeniden deneyin.

applications-title = Başvurularım
applications-lead = Başvurularınız ve taslaklarınız. Bir başvuruyu, belgelerini ve geçmişini görmek için "Detay"ı açın.
applications-empty = Henüz başvurunuz yok.
applications-start = Yeni Başvuru Başlat
col-number = Başvuru No
col-date = Başvuru Tarihi
col-concluded = Sonuçlanma Tarihi
col-kind = Başvuru Türü
col-status = Durum
col-exemption = Muafiyet Durumu
col-actions = İşlemler
action-detail = Detay
action-revision = Revizyon Yap
action-cancellation = Muafiyet İptali
action-continue = Devam Et
action-delete = Sil
draft-label = Taslak
cancellation-requested-label = İptal talep edildi

status-DRAFT = TASLAK
status-SUBMITTED = GÖNDERİLDİ
status-UNDER_EVALUATION = DEĞERLENDİRMEDE
status-REVISION = REVİZYON
status-PAYMENT_PENDING = ÖDEME BEKLENİYOR
status-APPROVAL = ONAY
status-REJECTED = RET
status-WITHDRAWN = GERİ ÇEKİLDİ
exemption-ACTIVE = AKTİF
exemption-EXPIRED = SÜRESİ DOLDU
exemption-CANCELLED = İPTAL EDİLDİ

detail-title = { $number } numaralı başvuru
detail-draft-title = Taslak başvuru
detail-submitted-on = { $date } tarihinde gönderildi, sürüm { $version }
detail-revision-heading = Uzmanın istediği değişiklikler
detail-history = Geçmiş
detail-when = Ne zaman
detail-who = Kim
detail-what = Ne
detail-reason = Gerekçe
detail-frozen = Bu, başvurunuzun gönderdiğiniz hâlidir. Kullanıcı Bilgilerinde sonradan yapılan değişiklikler onu değiştirmez.
actor-user = Siz
actor-officer = Uzman
actor-system = Sistem
actor-anonymous = —
event-submit = Başvuru oluşturuldu
event-start_evaluation = Değerlendirme başladı
event-request_revision = Revizyon istendi
event-resubmit = Revizyon gönderildi (sürüm { $version })
event-approve_with_fees = İlk aşamada uygun bulundu: harçlar ödenecek
event-approve_directly = Onaylandı
event-confirm_payment = Ödeme doğrulandı: onaylandı
event-payment_deadline_passed = Reddedildi: harçlar 30 gün içinde ödenmedi
event-reject = Reddedildi
event-withdraw = Geri çekildi
event-request_cancellation = Muafiyet iptali talep edildi
event-cancel_exemption = Muafiyet iptal edildi
event-expire_exemption = Muafiyetin süresi doldu

cancellation-title = Muafiyet İptali
cancellation-lead = { $number } numaralı çalışma izni muafiyetinizin iptalini talep ediyorsunuz. Uzmanlar karar verecek; o zamana kadar muafiyetiniz aktif kalır.
cancellation-confirm = Evet, iptal talep et
cancellation-back = Hayır, geri dön
cancellation-recorded = İptal talebiniz { $date } tarihinde kaydedildi. Uzmanlar talebiniz hakkında karar verecek.

delete-title = Bu taslak silinsin mi?
delete-lead = Taslak ve ona girdikleriniz silinir. Yüklediğiniz belgeler Belgeler sayfasında kalır.
delete-confirm = Evet, taslağı sil
delete-done = Taslak silindi.

not-editable = Bu başvuru artık burada değiştirilemez (durumu: { $status }).
conflict = Başvurunuz aynı anda başka bir pencerede değiştirildi. Sayfayı yenileyip kontrol edin.
key-reused = Bu istek anahtarı başka bir başvuru için kullanılmış.

categories-letter = Harf
categories-category = Kategori
categories-longest = Azami muafiyet süresi
