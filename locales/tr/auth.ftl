# Giriş: kılavuzdaki sorular, e-posta kodu, çıkış.

login-title = Sisteme giriş
login-lead = Size uygun giriş yolunu gösterebilmemiz için aşağıdaki soruları yanıtlayın.
login-q-before = Daha önce bu sisteme giriş yaptınız mı?
login-a-before-yes = Evet, daha önce giriş yaptım
login-a-before-no = Hayır, daha önce hiç giriş yapmadım
login-q-in-turkiye = Şu anda Türkiye'de misiniz?
login-a-in-turkiye-yes = Evet, Türkiye'deyim
login-a-in-turkiye-no = Hayır, Türkiye dışındayım
login-q-egov = T.C. Yabancı Kimlik Numaranız ve e-Devlet şifreniz var mı?
login-q-reference = Türk dış temsilciliğinden aldığınız bir referans numaranız var mı?
login-a-yes = Evet
login-a-no = Hayır
login-continue = Devam
login-change-answers = Yanıtlarımı değiştir
login-or = ya da

login-email-heading = E-posta adresinizle giriş yapın
login-email-lead = Kayıtlı e-posta adresinizi girin. Size tek kullanımlık bir kod göndereceğiz.
login-register-heading = E-posta adresinizle hesap oluşturun
login-register-lead = Okuyabildiğiniz bir e-posta adresiyle de kaydolabilirsiniz. Size tek kullanımlık bir kod göndereceğiz; kodu girdiğinizde hesabınız oluşturulur.
login-email-label = E-posta adresi
login-email-hint = Örneğin ad@ornek.com
login-check-it = Kontrol Et

login-egov-heading = e-Devlet ile giriş
login-egov-lead = T.C. Yabancı Kimlik Numaranız ve e-Devlet şifreniz varsa e-Devlet üzerinden giriş yapabilirsiniz.
login-egov-button = e-Devlet ile Giriş
login-passport-heading = Pasaportunuzla giriş yapın
login-passport-lead = Türkiye'ye giriş yaptığınız pasaportun bilgilerini girin.
login-passport-number = Ülkeye Giriş Yaptığınız Pasaport Numaranız
login-passport-country = Pasaportun Verildiği Ülke
login-birth-year = Doğum Yılınız
login-reference-heading = Referans numaranızla giriş yapın
login-reference-lead = Türk büyükelçiliği ya da konsolosluğundan aldığınız referans numarasını ve pasaport bilgilerinizi girin.
login-reference-number = Referans Numarası
login-passport-number-plain = Pasaport Numarası
login-declared-how = E-posta adresinize bir kod göndeririz. Bilgileriniz, kodu girdiğinizde kayıtlarla karşılaştırılır ve bu adresin hesabıyla devam edersiniz.
login-declared-email-hint = Başvurularınızla ilgili her karar bu adrese gönderilir.
login-no-reference = Yurt dışından başvurmak için bir Türk büyükelçiliği ya da konsolosluğundan referans numarası almanız gerekir. Yaşadığınız ülkedeki temsilciliğe başvurun.
login-choose = Lütfen seçiniz

unavailable-egov = e-Devlet ile giriş henüz kullanılamıyor.
unavailable-alternative = O zamana kadar e-posta adresinizle giriş yapabilir ya da hesap oluşturabilirsiniz.
unavailable-use-email = E-posta ile devam et

code-title = Kodunuzu girin
code-sent = { $email } adresine 6 haneli bir kod gönderdik. Kod 10 dakika geçerlidir.
code-label = Tek kullanımlık kod
code-hint = 6 rakam. Boşluklarla birlikte yapıştırabilirsiniz.
code-check-it = Kontrol Et
code-resend = Yeni kod gönder
code-resent = Yeni bir kod gönderdik. Yalnızca en son kod geçerlidir.
code-other-address = Başka bir e-posta adresi kullan
code-help = E-posta gelmedi mi? İstenmeyen (spam) klasörünüze bakın. Bir dakika sonra yeni kod isteyebilirsiniz.

logout-button = Çıkış Yap
