# Outgoing mail, written in the recipient's language.

mail-signature = Izin — Work Permit Exemption Application System
mail-automatic = This message was sent automatically. Please do not reply to it.
mail-code-subject = Your one-time code for Izin
mail-code-intro = Use this code to log in to Izin:
mail-code-validity = The code is valid for { $minutes } minutes and can be used once. Only the newest code you requested works.
mail-code-not-you = If you did not try to log in, you can ignore this message. Nobody can log in without the code. Never share it: our staff will never ask you for it.
mail-submitted-subject = Your application { $number } has been created
mail-submitted-intro = Your { $kind } application has been created. Your application number is { $number }.
mail-submitted-next = It will now be evaluated. Log in to Izin and open My Applications to follow its situation; we also write to you when an officer decides or asks for a revision.
mail-submitted-keep-number = Keep this number: quote it whenever you contact us about this application.
mail-decision-subject = Application { $number }: { $situation }
mail-decision-intro = There is news about your { $kind } application { $number }.
mail-decision-situation = Its situation is now: { $situation }.
mail-decision-under-evaluation = An officer has started to evaluate it. We will write to you again when there is a decision or a revision is needed.
mail-decision-revision = The officer asks you to revise it. Log in to Izin, open My Applications and choose "Make a Revision". The officer wrote:
mail-decision-rejected = It has been rejected. The reason:
mail-decision-legal-basis = Legal basis: { $basis }
mail-decision-objection = How to object: { $objection }
mail-decision-no-objection = No objection can be made against this decision.
mail-decision-officer-text = The officer added:
mail-decision-payment-pending = It has been approved at the first stage. Pay the amounts below within { $days } days; the payment notice with the ways to pay is on the application's page in Izin (My Applications → Detail).
mail-decision-amount = { $account } — { $amount } TRY
mail-decision-approved = It has been approved. Nothing is due.
mail-decision-document = Your Proof Document is attached to this e-mail (PDF). Anyone you show it to can check it at /verify with its number and verification code, or by scanning its QR code.
mail-decision-cancelled = The exemption it granted has been cancelled. The reason:
mail-decision-see-detail = You can read the whole history on the application's page: log in to Izin and open My Applications.
