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
