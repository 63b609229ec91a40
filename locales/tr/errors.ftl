# Neyin düzeltileceğini söyleyen iletiler. Alan iletileri kuralın sabit koduyla anahtarlanır.

email-empty = E-posta adresinizi girin.
email-too-long = E-posta adresi çok uzun. En fazla 254 karakterlik bir adres kullanın.
email-not-one-at = ad@ornek.com gibi, tek bir @ içeren bir e-posta adresi girin.
email-bad-local-part = @ işaretinden önceki kısmı kontrol edin: boş olamaz, nokta ile başlayıp bitemez ve boşluk içeremez.
email-bad-domain = @ işaretinden sonraki kısmı kontrol edin: ornek.com gibi bir alan adı olmalıdır.
code-empty = E-postadaki 6 haneli kodu girin.
code-wrong-shape = Kod tam olarak 6 rakamdan oluşur. Kontrol edip yeniden deneyin.
code-none = Bu giriş için geçerli bir kod yok. Yeni kod isteyin.
code-too-many-attempts = Bağlantınızdan çok fazla kod girildi. { $minutes } dakika sonra yeniden deneyin.
challenge-invalid = Kodu isterken aldığınız "challenge" değerini gönderin. Artık elinizde değilse yeni kod isteyin.
code-wrong = Kod doğru değil. { $attempts ->
    [one] 1 deneme hakkınız kaldı.
   *[other] { $attempts } deneme hakkınız kaldı.
}
code-expired = Bu kodun süresi doldu: kodlar 10 dakika geçerlidir. Yeni kod isteyin.
code-used = Bu kod daha önce kullanıldı. Yeniden giriş yapmak için yeni kod isteyin.
code-superseded = Daha yeni bir kod gönderildi. En son gelen e-postadaki kodu girin.
code-voided = Kod 5 kez yanlış girildiği için artık geçerli değil. Yeni kod isteyin.
declaration-not-matched = Verdiğiniz pasaport bilgileri kayıtlarla eşleşmiyor. Pasaport numarasını, pasaportu veren ülkeyi (veya referans numarasını) ve doğum yılınızı kontrol edip yeniden başlayın.
code-too-soon = Yeni kod istemeden önce lütfen { $seconds } saniye bekleyin.
code-hourly-limit = Bağlantınızdan bu adres için çok fazla kod istendi. { $minutes } dakika sonra yeniden deneyin.
code-client-limit = Ağınızdan çok fazla kod istendi. { $minutes } dakika sonra yeniden deneyin.
login-pending-missing = Giriş formunuzun süresi doldu. E-posta adresinizi yeniden girin.
csrf-failed = Güvenliğiniz için bu formun süresi doldu. Girdiklerinizi kontrol edip yeniden gönderin.

problem-not-json = İstek gövdesi geçerli bir JSON değil (satır { $line }, sütun { $column }). Oradaki tırnakları, virgülleri ve parantezleri kontrol edin.
problem-body-unreadable = İstek gövdesi okunamadı. Yeniden gönderin.
problem-bad-multipart = Gövde okunabilir bir multipart/form-data formu değil. Önce metin parçalarını, sonra dosyayı gönderin.
kind-first = "file" parçasından önce "kind" parçasını gönderin.
slot-first = "file" parçasından önce "slot" parçasını gönderin.
field-required = Bu alan zorunludur: gönderin.
field-unknown = Bu alan bu çağrıya ait değil: çıkarın veya yazılışını kontrol edin.
field-wrong-type = Bu değerin türü yanlış: { $expected } gönderin.
field-invalid = Bu değer bu alan için kabul edilmiyor.
expected-text = metin (JSON dizgisi)
expected-boolean = true veya false
expected-whole-number = bir tam sayı
expected-number = bir sayı
expected-list = bir liste (JSON dizisi)
expected-object = bir nesne
expected-other = belgelenen türde bir değer
problem-unsupported-media-type = İstek gövdesini application/json olarak gönderin.
problem-unsupported-media-type-upload = application/json (belgelerinizden birini kullanmak için) veya multipart/form-data (dosya yüklemek için) gönderin.
problem-payload-too-large = İstek gövdesi çok büyük.
problem-unauthenticated = Önce giriş yapın: geçerli bir oturum anahtarını "Authorization: Bearer …" olarak gönderin.
problem-session-expired = Oturumunuz sona erdi. Yeniden giriş yapın.
problem-not-found = Bu adreste bir şey yok.
problem-invalid-path = Bu adres geçerli değil: yanlış olan kısım için "errors" alanına bakın.
path-invalid = Adresin bu kısmı beklenen türde bir tanımlayıcı değil (örneğin 01a2…-… gibi bir UUID).
problem-invalid-query = Bu adresin sorgu parametrelerinden biri geçerli değil; API açıklamasıyla karşılaştırın.
idempotency-key-invalid = Idempotency-Key 1 ile { $max } arasında görünür ASCII karakterden oluşur (bir UUID uygundur). Daha kısa bir anahtar gönderin: reddedilen bir anahtar tekrarı korumaz.
problem-method-not-allowed = Bu adres bu yöntemi kabul etmiyor.
problem-validation = Bazı alanlar geçerli değil. Neyin düzeltileceği "errors" alanında.
problem-rate-limited = Çok fazla istek. Daha sonra yeniden deneyin.
problem-csrf = Oturum çereziyle kimliği doğrulanan isteklerde X-CSRF-Token başlığını gönderin.
problem-internal = Bizim tarafımızda bir sorun oluştu. Kaydettiğiniz hiçbir şey kaybolmadı; daha sonra yeniden deneyin.
problem-unavailable = Hizmet geçici olarak kullanılamıyor. Daha sonra yeniden deneyin.
