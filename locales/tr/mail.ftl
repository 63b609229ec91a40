# Giden e-postalar, alıcının dilinde.

mail-signature = Izin — Çalışma İzni Muafiyeti Başvuru Sistemi
mail-automatic = Bu ileti otomatik olarak gönderilmiştir. Lütfen yanıtlamayın.
mail-code-subject = Izin için tek kullanımlık kodunuz
mail-code-intro = Izin'e giriş yapmak için bu kodu kullanın:
mail-code-validity = Kod { $minutes } dakika geçerlidir ve bir kez kullanılabilir. Yalnızca istediğiniz en son kod geçerlidir.
mail-code-not-you = Giriş yapmaya çalışmadıysanız bu iletiyi dikkate almayabilirsiniz. Kod olmadan kimse giriş yapamaz. Kodu kimseyle paylaşmayın: çalışanlarımız sizden asla bu kodu istemez.
mail-submitted-subject = { $number } numaralı başvurunuz oluşturuldu
mail-submitted-intro = { $kind } başvurunuz oluşturuldu. Başvuru numaranız { $number }.
mail-submitted-next = Başvurunuz şimdi değerlendirilecek. Durumunu takip etmek için Izin'e giriş yapıp Başvurularım sayfasını açın; bir uzman karar verdiğinde ya da revizyon istediğinde size ayrıca e-posta göndeririz.
mail-submitted-keep-number = Bu numarayı saklayın: bu başvuru hakkında bizimle her iletişiminizde belirtin.
