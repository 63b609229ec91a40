# Texts shared by every page.

site-name = Izin
site-tagline = Work Permit Exemption and Residence Permit Applications for Foreigners
state-name = Republic of Türkiye
authority-name = Ministry of Labour and Social Security
skip-to-content = Skip to main content
language-switch-label = Language
language-tr = Türkçe
language-en = English
main-navigation = Main menu
panel-navigation = Your account
nav-home = Home Page
nav-new-application = New Application
nav-user-information = User Information
nav-my-applications = My Applications
nav-documents = Documents
nav-guide-tr = Application Guide - TR
nav-guide-en = Application Guide - EN
nav-log-out = Log Out
nav-log-in = Log in
footer-contact = Contact and Support
footer-privacy = Privacy and cookies
footer-kvkk = Protection of personal data (KVKK)
footer-note = This portal uses only the cookies it needs to work.

home-title = Work Permit Exemption Application System for Foreigners
home-lead = Apply online for a work permit exemption, follow your application and receive a document anyone can verify.
home-apply = Apply for Work Permit Exemption
home-who-can-apply = Who Can Apply For Work Permit Exemption
home-faq = Frequently Asked Questions
home-guide = Application Guide
home-contact = Contact and Support
home-more = Learn more before you apply

page-who-can-apply = Who Can Apply For Work Permit Exemption
page-faq = Frequently Asked Questions
page-guide = Application Guide
page-contact = Contact and Support
page-privacy = Privacy and cookies
page-kvkk-information = Information notice on the protection of personal data

panel-title = Home Page
panel-welcome = Welcome
panel-signed-in-as = You are signed in as { $email }.
panel-next-steps = What to do next
panel-step-profile = Fill in your User Information: personal, contact, passport and education details.
panel-step-apply = Start a New Application and choose your exemption category.
panel-step-follow = Follow your applications under My Applications.
panel-session-note = For your security you are signed out after 30 minutes without activity.

coming-soon-title = Coming soon
coming-soon-body = This part of the portal is being prepared and will open soon. What you have saved so far is kept.

session-warning-title = You will be signed out soon
session-warning-body = You have been inactive for a while. For your security you will be signed out when the countdown below reaches zero. If you stay signed in, your page and what you typed stay as they are.
session-extend = Stay signed in
session-extended = You are still signed in.
session-expired-title = You have been signed out
session-expired-body = You were signed out after 30 minutes without activity, or 12 hours after signing in. Log in again to continue.
session-noscript = Without JavaScript there is no warning before you are signed out after 30 minutes without activity: save each section as you go.

signed-out-title = You have logged out
signed-out-body = Your session has ended on this device.
back-to-home = Back to the home page
log-in-again = Log in again

error-summary-title = There is a problem
error-not-found-title = Page not found
error-not-found-body = The address may be wrong, or the page may have moved. If you followed a link in this portal, please tell us.
error-server-title = Something went wrong on our side
error-server-body = Nothing you saved has been lost. Please try again in a few minutes.
error-bad-request-title = The request could not be understood
error-bad-request-body = Please go back, check your entries and try again.
error-forbidden-title = This form has expired
error-forbidden-body = For your security, forms stop working after a while or when they come from another site. Go back, reload the page and submit again.
error-unavailable-title = Temporarily unavailable
error-unavailable-body = The portal is busy or under maintenance. Nothing you saved has been lost. Please try again in a few minutes.

dev-mailbox-title = Outgoing mail
dev-mailbox-lead = The portal is writing mail to files instead of sending it. This page exists only in that mode, so you can read sign-in codes while trying the portal.
dev-mailbox-empty = No mail has been written yet.
dev-mailbox-to = To
dev-mailbox-subject = Subject
dev-mailbox-date = Date
dev-mailbox-open = Open
dev-mailbox-back = All messages
dev-mailbox-attachments = Attached files

time-in-turkiye = { $time } (Türkiye time)
dates-caption = Dates are day/month/year; times are Türkiye time (UTC+3).
dev-mode-banner = Demo and development mode: for trying the portal only. Every e-mail, sign-in codes included, can be read by anyone at
