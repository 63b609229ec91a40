# Her sayfada ortak metinler.

site-name = Izin
site-tagline = Yabancılar için Çalışma İzni Muafiyeti ve İkamet İzni Başvuruları
state-name = Türkiye Cumhuriyeti
authority-name = Çalışma ve Sosyal Güvenlik Bakanlığı
skip-to-content = Ana içeriğe geç
language-switch-label = Dil
language-tr = Türkçe
language-en = English
main-navigation = Ana menü
panel-navigation = Hesabınız
nav-home = Ana Sayfa
nav-new-application = Yeni Başvuru
nav-user-information = Kullanıcı Bilgileri
nav-my-applications = Başvurularım
nav-documents = Belgeler
nav-guide-tr = Başvuru Kılavuzu - TR
nav-guide-en = Başvuru Kılavuzu - EN
nav-log-out = Çıkış Yap
nav-log-in = Giriş yap
footer-contact = İletişim ve Destek
footer-privacy = Gizlilik ve çerezler
footer-kvkk = Kişisel verilerin korunması (KVKK)
footer-note = Bu portal yalnızca çalışması için gerekli çerezleri kullanır.

home-title = Yabancılar için Çalışma İzni Muafiyeti Başvuru Sistemi
home-lead = Çalışma izni muafiyeti için çevrim içi başvurun, başvurunuzu takip edin ve herkesin doğrulayabileceği bir belge alın.
home-apply = Muafiyet Başvurusu Yap
home-who-can-apply = Kimler Çalışma İzni Muafiyeti Başvurusu Yapabilir
home-faq = Sıkça Sorulan Sorular
home-guide = Başvuru Kılavuzu
home-contact = İletişim ve Destek
home-more = Başvurmadan önce bilgi edinin

page-who-can-apply = Kimler Çalışma İzni Muafiyeti Başvurusu Yapabilir
page-faq = Sıkça Sorulan Sorular
page-guide = Başvuru Kılavuzu
page-contact = İletişim ve Destek
page-privacy = Gizlilik ve çerezler
page-kvkk-information = Kişisel verilerin korunmasına ilişkin aydınlatma metni

panel-title = Ana Sayfa
panel-welcome = Hoş geldiniz
panel-signed-in-as = { $email } adresiyle giriş yaptınız.
panel-next-steps = Sıradaki adımlar
panel-step-profile = Kullanıcı Bilgilerinizi doldurun: kişisel, iletişim, pasaport ve eğitim bilgileri.
panel-step-apply = Yeni Başvuru başlatın ve muafiyet kategorinizi seçin.
panel-step-follow = Başvurularınızı Başvurularım bölümünden takip edin.
panel-session-note = Güvenliğiniz için 30 dakika işlem yapılmadığında oturumunuz kapatılır.

coming-soon-title = Yakında
coming-soon-body = Portalın bu bölümü hazırlanıyor ve yakında açılacak. Şimdiye kadar kaydettikleriniz saklanır.

session-warning-title = Oturumunuz birazdan kapanacak
session-warning-body = Bir süredir işlem yapmadınız. Güvenliğiniz için aşağıdaki geri sayım sıfıra ulaştığında oturumunuz kapatılacak. Oturumda kalırsanız sayfanız ve yazdıklarınız olduğu gibi kalır.
session-extend = Oturumda kal
session-extended = Oturumunuz devam ediyor.
session-expired-title = Oturumunuz kapatıldı
session-expired-body = 30 dakika işlem yapılmadığı ya da girişten bu yana 12 saat geçtiği için oturumunuz kapatıldı. Devam etmek için yeniden giriş yapın.
session-noscript = JavaScript kapalıyken 30 dakikalık hareketsizlik sonrası oturum kapanmadan önce uyarı gösterilemez: her bölümü doldurdukça kaydedin.

signed-out-title = Çıkış yaptınız
signed-out-body = Bu cihazdaki oturumunuz sona erdi.
back-to-home = Ana sayfaya dön
log-in-again = Yeniden giriş yap

error-summary-title = Bir sorun var
error-not-found-title = Sayfa bulunamadı
error-not-found-body = Adres hatalı olabilir ya da sayfa taşınmış olabilir. Bu portaldaki bir bağlantıyı izlediyseniz lütfen bize bildirin.
error-server-title = Bizim tarafımızda bir sorun oluştu
error-server-body = Kaydettiğiniz hiçbir şey kaybolmadı. Lütfen birkaç dakika sonra yeniden deneyin.
error-bad-request-title = İstek anlaşılamadı
error-bad-request-body = Lütfen geri dönün, girdiklerinizi kontrol edin ve yeniden deneyin.
error-forbidden-title = Bu formun süresi doldu
error-forbidden-body = Güvenliğiniz için formlar bir süre sonra ya da başka bir siteden geldiğinde çalışmaz. Geri dönün, sayfayı yenileyin ve yeniden gönderin.
error-unavailable-title = Geçici olarak kullanılamıyor
error-unavailable-body = Portal yoğun ya da bakımda. Kaydettiğiniz hiçbir şey kaybolmadı. Lütfen birkaç dakika sonra yeniden deneyin.

dev-mailbox-title = Giden e-postalar
dev-mailbox-lead = Portal e-postaları göndermek yerine dosyaya yazıyor. Bu sayfa yalnızca bu kipte vardır; portalı denerken giriş kodlarını buradan okuyabilirsiniz.
dev-mailbox-empty = Henüz e-posta yazılmadı.
dev-mailbox-to = Alıcı
dev-mailbox-subject = Konu
dev-mailbox-date = Tarih
dev-mailbox-open = Aç
dev-mailbox-back = Tüm iletiler
dev-mailbox-attachments = Ekli dosyalar

time-in-turkiye = { $time } (Türkiye saati)
dates-caption = Tarihler gün/ay/yıl olarak, saatler Türkiye saatiyle (UTC+3) gösterilir.
dev-mode-banner = Tanıtım ve geliştirme kipi: yalnızca portalı denemek içindir. Giriş kodları dahil her e-posta herkes tarafından şu adreste okunabilir:
