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
mail-decision-subject = { $number } numaralı başvuru: { $situation }
mail-decision-intro = { $number } numaralı { $kind } başvurunuzla ilgili bir gelişme var.
mail-decision-situation = Başvurunuzun durumu: { $situation }.
mail-decision-under-evaluation = Bir uzman başvurunuzu değerlendirmeye başladı. Karar verildiğinde ya da düzeltme gerektiğinde size yeniden yazacağız.
mail-decision-revision = Uzman başvurunuzda düzeltme yapmanızı istiyor. Izin'e giriş yapın, Başvurularım sayfasını açın ve "Düzeltme Yap"ı seçin. Uzmanın notu:
mail-decision-rejected = Başvurunuz reddedildi. Gerekçe:
mail-decision-legal-basis = Hukuki dayanak: { $basis }
mail-decision-objection = İtiraz yolu: { $objection }
mail-decision-no-objection = Bu karara itiraz edilemez.
mail-decision-officer-text = Uzmanın açıklaması:
mail-decision-payment-pending = Başvurunuz ilk aşamada onaylandı. Aşağıdaki tutarları { $days } gün içinde ödeyin; ödeme yollarını içeren ödeme bildirimi Izin'de başvurunuzun sayfasındadır (Başvurularım → Detay).
mail-decision-amount = { $account } — { $amount } TL
mail-decision-approved = Başvurunuz onaylandı. Ödenecek bir tutar yoktur.
mail-decision-document = Belgeniz bu e-postanın ekindedir (PDF). Gösterdiğiniz herkes onu numarası ve doğrulama koduyla /verify adresinde ya da QR kodunu okutarak doğrulayabilir.
mail-decision-cancelled = Başvurunuzla verilen muafiyet iptal edildi. Gerekçe:
mail-decision-see-detail = Başvurunuzun bütün geçmişini başvurunuzun sayfasında okuyabilirsiniz: Izin'e giriş yapın ve Başvurularım sayfasını açın.
