# Logging in: the questions of the seed, the e-mail code, logging out.

login-title = Log in to the system
login-lead = Answer the questions below so that we can show you the right way to log in.
login-q-before = Have you logged into this system before?
login-a-before-yes = Yes, I have logged in before
login-a-before-no = No, I've never logged in before
login-q-in-turkiye = Are you currently in Türkiye?
login-a-in-turkiye-yes = Yes, I'm in Türkiye
login-a-in-turkiye-no = No, I'm located outside of Türkiye
login-q-egov = Do you have a TR Foreigner ID No and an e-Government password?
login-q-reference = Do you have a reference number from a Turkish embassy or consulate?
login-a-yes = Yes
login-a-no = No
login-continue = Continue
login-change-answers = Change my answers
login-or = or

login-email-heading = Log in with your e-mail address
login-email-lead = Enter the e-mail address you registered with. We will send you a one-time code.
login-register-heading = Create your account with your e-mail address
login-register-lead = You can also register with an e-mail address you can read. We will send you a one-time code; your account is created when you enter it.
login-email-label = E-mail address
login-email-hint = For example name@example.com
login-check-it = Check It

login-egov-heading = Log in with e-Government
login-egov-lead = If you have a TR Foreigner ID number and an e-Government password, you can log in through e-Government.
login-egov-button = Login with E-Government
login-passport-heading = Log in with your passport
login-passport-lead = Enter the passport you entered Türkiye with.
login-passport-number = Your Passport Number with which you entered the country
login-passport-country = Country of Issue of Passport
login-birth-year = Your Birth Year
login-reference-heading = Log in with your reference number
login-reference-lead = Enter the reference number you received from the Turkish embassy or consulate, and your passport details.
login-reference-number = Reference Number
login-passport-number-plain = Passport Number
login-declared-how = We send a code to your e-mail address. Your details are checked against the records when you enter it, and you continue to the account of that address.
login-declared-email-hint = Every decision about your applications is sent to this address.
login-no-reference = To apply from abroad you need a reference number from a Turkish embassy or consulate. Contact the mission in the country where you live.
login-choose = Please choose

unavailable-egov = Logging in with e-Government is not available yet.
unavailable-alternative = Until then you can log in, or create your account, with your e-mail address.
unavailable-use-email = Continue with e-mail

code-title = Enter your code
code-sent = We have sent a 6-digit code to { $email }. It is valid for 10 minutes.
code-label = One-time code
code-hint = 6 digits. You can paste it with spaces.
code-check-it = Check It
code-resend = Send a new code
code-resent = We have sent a new code. Only the newest code works.
code-other-address = Use another e-mail address
code-help = The e-mail has not arrived? Check your spam folder. You can ask for a new code after one minute.

logout-button = Log Out
