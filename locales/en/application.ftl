# New Application (seed §3), My Applications and the application's detail (seed §4).

wizard-title = New Application
wizard-resume = Continue where you left off
wizard-saved = Saved. You can leave and continue later from My Applications.
wizard-previous = Previous
wizard-next = Next
wizard-save-continue = Save and Continue
wizard-steps = Steps of the application
wizard-step-of = Step { $step } of { $total }
wizard-draft-number = Draft started on { $date }

step-inquiry = Active Residence Right Inquiry
step-place = Place of Application
step-category = Application Type
step-consent = KVKK (Law on the Protection of Personal Data) Explicit Consent
step-employment = Workplace and Employer Information
step-documents = Supporting Documents
step-additional = Additional Documents
step-preview = Application Preview

inquiry-completed = Inquiry (Completed)
inquiry-active-right = Active Residence Right
inquiry-yes = Yes
inquiry-no = No
inquiry-right-details = { $kind }, valid from { $from } until { $until }
inquiry-no-foreigner-id = If you haven't entered your Foreigner ID number, please enter it from the "User Information" section and try to apply again.
inquiry-go-to-profile = Go to User Information
inquiry-unavailable = The residence right inquiry could not be made just now. You can still apply: choose the place of application below, or try again in a few minutes.
right-kind-residence_permit = Residence permit
right-kind-work_permit = Work permit
right-kind-work_permit_exemption = Work permit exemption

place-domestic = Domestic Application (I am in Türkiye or I have active residence right)
place-abroad = Abroad Application (I am located outside of Türkiye)
place-confirmation = Required Information for Confirmation
place-passport-number = Passport Number With Which The Foreigner Entered The Country
place-passport-country = Country of Issue of Passport
place-reference-number = Reference Number
place-reference-number-hint = The 16-character reference number you received from the Turkish foreign representative (embassy or consulate) abroad.
place-domestic-with-right = You have an active residence right: no further information is needed.
place-check = Check it
place-continue = Continue to Application Type Selection
place-confirmed-right = Confirmed: you have an active residence right.
place-confirmed-entry = Confirmed: your entry to Türkiye with passport { $passport } was found.
place-confirmed-entry-previous = Confirmed: your entry to Türkiye with your previous passport { $passport } was found.
place-own-passport-lead = Your entry to Türkiye is looked up with the passport in your Passport Information and the year of birth in your Personal Information:
place-own-passport-missing = Enter your passport number and its country of issue in Passport Information, and your date of birth in Personal Information: your entry to Türkiye is checked against them.
place-own-passport-change = Change Passport Information
place-birth-year = Year of Birth
place-previous-passport = I entered Türkiye with a previous passport (my passport was renewed after I entered)
place-previous-passport-hint = Tick this only if the passport you entered with is not the one in Passport Information. Your entry is then looked up with the previous passport and the year of birth in Personal Information, and the officer sees its scan.
field-previous_passport_number = Number of the Previous Passport With Which You Entered Türkiye
field-previous_passport_country = Country of Issue of the Previous Passport
field-previous_passport_scan_document_id = Scan of the Previous Passport's Data Page
field-previous_passport_scan_document_id-hint = The page with your photo and personal details, as a PDF, JPEG or PNG file of at most 10 MB.
place-confirmed-reference = Confirmed: reference number { $reference } matches your passport.
place-change = Change the place of application

category-title = Application Type Selection
category-sector = Sector
category-category = Category
category-warning = Select the sector and the category of the work permit exemption correctly. Applications made by selecting the wrong type will be rejected.
category-internship-tip = For a mandatory internship choose: Education Sector → Internship / Student Subject to Compulsory Internship (n).
category-longest = At most { $months ->
    [one] 1 month
   *[other] { $months } months
}
category-choose = Choose a category
category-continue = Continue
category-legal = Legal basis: { $reference }

consent-title = KVKK (Law on the Protection of Personal Data) Explicit Consent
consent-read = Please read the information text below, then give your explicit consent.
consent-statement = Explicit consent statement
consent-checkbox = I have read the information text and I give my explicit consent as stated above.
consent-given = You gave your consent on { $date } (text version { $version }).

employment-title = Workplace and Employer Information
employment-limit = You can apply for no more than { $months ->
    [one] 1 month
   *[other] { $months } months
} within the scope of the work permit exemption category you have chosen. For your requests exceeding these periods, a work permit application will be required.
employment-period-heading = Requested Date Range for Work Permit Exemption
employment-address-heading = Where your exemption document is sent
employment-employer-heading = Workplace and Employer Information You Will Work in Türkiye
employment-address-found = Address: { $address }
employment-workplace-found = Workplace: { $name }
employment-contract-current = Current file: { $name }
employment-contract-choose = Or choose one of your documents

field-occupation_code = Your Occupation Within the Work Permit Exemption
field-occupation_code-hint = Type to search by code or name, for example 9901.02 Stajyer (Öğrenci) for an intern.
field-start_date = Requested Exemption Start Date
field-end_date = Requested Exemption End Date
field-period-hint = Day/month/year, for example 04/01/2027.
field-certificate_requested = Are you requesting a work permit exemption certificate?
certificate-no = No, I do not want a certificate
certificate-yes = Yes, I agree to pay the stamp duty and request a certificate if my application is approved
field-certificate_requested-hint = If you do not request one, a verifiable document showing the approval is sent to your e-mail address free of charge.
field-residential_code = Residential Code of Where You Want to Send Exemption Document
field-residential_code-hint = 10 digits. It can be obtained from the NVI Address Inquiry System on https://adres.nvi.gov.tr
field-address_type = Address Information Where You Want Your Document to Be Sent
address-type-residence = My residence address
address-type-workplace = My workplace address
address-type-different = A different address
field-province = Province Where You Will Work in Türkiye
field-district = District Where You Will Work in Türkiye
field-about = About Your Application
field-about-hint = Write the purpose of your application and the scope of the work. For an internship, for example: "I am a 3rd grade student in Computer Engineering at … University. I request a work permit exemption to complete my mandatory internship of 20 working days at … company between 04/01/2027 and 29/01/2027."
field-has_employer = Please Choose
field-has_employer-name = Do you have a certain workplace and an employer in Türkiye?
employer-yes = The workplace where I will work in Türkiye is certain and I have an employer.
employer-no = I do not have a certain workplace or employer in Türkiye.
field-sgk_number = The Workplace SGK Registration Number
field-sgk_number-hint = The 26-digit Social Security Institution (SGK) registration number of the workplace. Spaces are allowed.
field-monthly_gross_salary = Monthly Gross Salary
field-monthly_gross_salary-hint = The amount of monthly gross salary you will receive; enter 0 for an unpaid internship.
field-currency = Payment Currency
field-employment_contract_document_id = Employment Contract
field-employment_contract_document_id-hint = Upload the scanned version of the signed employment contract (for a mandatory internship: your Internship Application Form). PDF, JPEG or PNG, at most 10 MB.
field-insurance_paid = How Will Insurance Premiums of Your Working Be Paid?
insurance-domestic = My insurance premiums will be paid from domestically.
insurance-abroad = My insurance premiums will be paid from abroad.
field-category = Category
field-place = Place of Application
field-passport_country = Country of Issue of Passport
field-reference_number = Reference Number
field-kvkk_explicit_consent = Explicit consent
field-other_information = Other Information
field-document_ids = Documents
field-file = File
field-slot = Document

documents-step-lead = Upload the documents your category asks for, as PDF or image files. A document you already uploaded can be used again.
slot-required = Required
slot-optional = Optional
slot-count = { $count } of { $max }
slot-upload = Upload File
slot-reuse = Use one of your documents
slot-reuse-none = You have no other documents to use here.
slot-use = Use
slot-remove = Remove
slot-full-note = This slot is full. Remove a file to add another.

additional-lead = This page is not mandatory. You can add information and documents you think are important for the evaluation, or that did not fit elsewhere.
additional-add = Add Other Document
additional-save = Save
additional-none = No additional documents yet.
additional-preview = Show Application Preview

preview-attention = Attention! Your application has not been created yet!
preview-check = Please check all the information you have entered and complete your application or return to the editing screen.
preview-kind = Application Kind
preview-place = Place of Application
preview-entered-on = Day of Entry to Türkiye
preview-previous-passport = Previous Passport (declared)
preview-previous-passport-yes = Yes: the applicant entered with this passport; the one in Passport Information was issued after the entry.
preview-job = Job and Employer Information
preview-note = Please check
preview-occupation = Chosen Occupation
preview-period = Requested Date Range for Exemption
preview-document-sent = Will the document be sent?
preview-reason = Reason for Request for Work Permit Exemption
preview-has-employer = Have an Employer?
preview-additional = Additional Information and Documents
preview-description = Description
preview-documents = Documents
preview-fees = Fees if your application is approved
preview-fee-exemption = Work permit exemption fee
preview-fee-paper = Valuable paper fee
preview-fee-total = Total
preview-no-fee = No fee is charged.
preview-fee-after-review = 0 ₺, or as the review decides: you will be notified by e-mail after the review.
comparison-differs = Differs
preview-fee-note = You pay only after the first-stage approval, when the e-mail tells you how.
preview-back = Go Back to the Editing Screen
preview-create = Create My Application
preview-blocked = Your application cannot be created yet. Fix these first:
preview-fix = Fix this
preview-none = —
preview-yes = Yes
preview-no = No
preview-revision-lead = The officer asked for changes. Check your application, then send it back for evaluation.
preview-resubmit = Send My Revision

created-title = Your application has been created
created-number = Application number: { $number }
created-mail = A confirmation was sent to { $email }. You can follow your application under My Applications.
resubmitted = Your revision was sent. Your application is back under evaluation.
already-created = This application has already been created, so it was not sent again. Here it is, with its number and history.

rule-profile-incomplete = Your User Information is incomplete ({ $count ->
    [one] 1 item missing
   *[other] { $count } items missing
}).
rule-category-missing = Choose the sector and category of the exemption.
rule-place-missing = Choose and confirm the place of application.
rule-entry-deadline-passed = You entered Türkiye on { $entered }; a domestic application must be made within { $days } days of entering, by { $last_day }. Apply from abroad instead, with a reference number from a Turkish embassy or consulate.
rule-place-confirm-again = Confirm the place of application again, so that your entry to Türkiye is checked once more.
rule-place-check-outdated = Your passport or date of birth in User Information changed after your entry to Türkiye was confirmed. Confirm the place of application again, so that the entry is checked with them.
rule-previous-passport-scan-missing = The scan of your previous passport's data page is no longer among your documents. Confirm the place of application again with a scan.
rule-consent-missing = Give your explicit consent to the KVKK text.
rule-field-missing = Fill in "{ $label }".
rule-employer-incomplete = You have an employer: fill in "{ $label }".
rule-start-in-past = The requested start date has passed. Choose today or a later date.
rule-end-before-start = The requested end date must be after the start date.
rule-period-too-long = Your category allows at most { $months } months. Shorten the requested period or apply for a work permit.
rule-occupation-not-for-category = Your category admits only the occupation { $codes }. Choose it under Workplace and Employer Information.
rule-passport-expires-too-soon = Your passport must stay valid at least { $days } days after the exemption ends: end it by { $latest }, or renew your passport and update User Information.
rule-other-application-pending = You already have an application under evaluation{ $number ->
    [none] {""}
   *[other] {" "}({ $number })
}. You can apply again when it is concluded.
rule-waiting-period = You had an exemption of this category. A new one can be applied for { $months } months after it ended: from { $date }.
rule-document-missing = Upload "{ $label }".

choice-required = Choose one of the options.
reference-number-shape = A reference number has exactly 16 letters and digits, as you received it.
reference-number-unknown = No reference number like this was given by a Turkish foreign representative. Check each character.
reference-number-mismatch = This reference number was given for another passport or date of birth. Check it, and the passport number and date of birth in User Information.
reference-number-needs-profile = Enter your passport number and date of birth in User Information first: the reference number is checked against them.
passport-not-in-turkiye = No entry to Türkiye was found for passport { $passport } ({ $country }) of a holder born in { $year } (or the last crossing was an exit). Check the passport number and its country of issue in Passport Information and your date of birth in Personal Information. If you entered with a previous passport, declare it below; if you are outside Türkiye, choose Abroad Application.
passport-not-yours = This is not your passport: the passport in your Passport Information is { $passport } ({ $country }). Correct Passport Information if it is out of date; if you entered Türkiye with a previous passport, declare it as your previous passport.
entry-needs-profile = Enter your passport number and its country of issue in Passport Information, and your date of birth in Personal Information, first: your entry to Türkiye is checked against them.
previous-passport-is-current = This is the passport in your Passport Information. Declare a previous passport only if you entered Türkiye with another one.
previous-passport-scan-required = Upload a scan of the previous passport's data page (PDF, JPEG or PNG).
entry-deadline-passed = You entered Türkiye on { $entered }. A domestic application must be made within { $days } days of entering, so the last day was { $last_day }. You can still apply from abroad: get a reference number from a Turkish embassy or consulate and choose Abroad Application.
place-abroad-with-residence-right = You have an active residence right in Türkiye: choose Domestic Application.
parent-mismatch = Name the application this one is about for a kind that is about another, and only then.
category-unknown = Choose a category from the list.
consent-required = Tick the box to give your explicit consent; an application cannot be made without it.
occupation-unknown = Choose an occupation from the list (code NNNN.NN).
occupation-not-for-category = This category admits only the occupation { $codes }: choose it from the list.
start-in-past = The start date has passed. Choose today or a later date.
end-before-start = The end date must be after the start date.
period-too-long = Your category allows at most { $months } months: choose an earlier end date.
address-code-shape = A residential code has exactly 10 digits.
address-code-unknown = This residential code was not found in the address registry. Check it on https://adres.nvi.gov.tr
province-unknown = Choose a province from the list.
district-unknown = Choose a district of the chosen province.
sgk-number-shape = An SGK registration number is made of digits only: 26 of them, as on your employer's SGK documents (spaces are allowed).
sgk-number-length = An SGK registration number has 26 digits; you typed { $count }. Copy it again from your employer's SGK documents.
sgk-number-sector = The first digit of an SGK registration number (the sector) is 1 to 5; you typed { $found }. Check the start of the number.
sgk-number-province = Digits 17 to 19 of an SGK registration number are the province (001 to 081); you typed { $found }. Check the middle of the number with your employer.
sgk-number-unknown = No workplace with this SGK registration number was found. Check the number with your employer.
workplace-elsewhere = Please check: the workplace with this SGK number is registered in { $registered }, but you said you will work in { $work }. If that is right (for example at a branch), go on; otherwise correct the province or the SGK number under Workplace and Employer Information.
salary-invalid = Enter the amount as a number, for example 25000 or 25000.50 (0 is allowed).
salary-negative = A salary cannot be negative. Enter the monthly gross amount, or 0 for an unpaid internship.
currency-unknown = Choose a currency from the list.
slot-unknown = This document is not asked for in your category.
slot-full = This slot takes at most { $max ->
    [one] 1 file
   *[other] { $max } files
}. Remove one first.
too-many-documents = At most { $max } additional documents can be added.
registry-unavailable = The { $registry } registry did not answer. What you typed is kept: try again in a few minutes.

applications-title = My Applications
applications-lead = Your applications and drafts. Open "Detail" to see an application, its documents and its history.
applications-empty = You have no applications yet.
applications-start = Start a New Application
col-number = Application No
col-date = Application Date
col-concluded = Conclusion Date
col-kind = Application Kind
col-status = Situation
col-exemption = Exemption Status
col-actions = Actions
action-detail = Detail
action-revision = Make a Revision
action-cancellation = Exemption Cancellation
action-continue = Continue
action-delete = Delete
draft-label = Draft
cancellation-requested-label = Cancellation requested

status-DRAFT = DRAFT
status-SUBMITTED = SUBMITTED
status-UNDER_EVALUATION = UNDER EVALUATION
status-REVISION = REVISION
status-PAYMENT_PENDING = PAYMENT PENDING
status-APPROVAL = APPROVAL
status-REJECTED = REJECTED
status-WITHDRAWN = WITHDRAWN
exemption-ACTIVE = ACTIVE
exemption-EXPIRED = EXPIRED
exemption-CANCELLED = CANCELLED

detail-title = Application { $number }
detail-draft-title = Draft application
detail-submitted-on = Submitted on { $date }, version { $version }
detail-revision-heading = The officer asks for these changes
detail-history = History
detail-when = When
detail-who = Who
detail-what = What
detail-reason = Reason
detail-frozen = This is the application as you submitted it. Later changes to User Information do not change it.
actor-user = You
actor-officer = Officer
actor-system = System
actor-anonymous = —
event-submit = Application created
event-start_evaluation = Evaluation started
event-request_revision = Revision requested
event-resubmit = Revision sent (version { $version })
event-approve_with_fees = Approved at the first stage: fees to be paid
event-approve_directly = Approved
event-confirm_payment = Payment confirmed: approved
event-payment_deadline_passed = Rejected: fees not paid within 30 days
event-require_payment = Fees to be paid (the price is fixed by the reason)
event-recompute_fees = Amounts recomputed at the new year's rates
event-reinstate_paid = Payment made in time counted: approved
event-reject = Rejected
event-withdraw = Withdrawn
event-request_cancellation = Exemption cancellation requested
event-cancel_exemption = Exemption cancelled
event-expire_exemption = Exemption expired

cancellation-title = Exemption Cancellation
cancellation-lead = You are asking for your work permit exemption { $number } to be cancelled. The officers will decide; until then your exemption stays active.
cancellation-confirm = Yes, ask for the cancellation
cancellation-back = No, go back
cancellation-recorded = Your cancellation request was recorded on { $date }. The officers will decide on it.

delete-title = Delete this draft?
delete-lead = The draft and what you entered in it are removed. Documents you uploaded stay under Documents.
delete-confirm = Yes, delete the draft
delete-done = The draft was deleted.

not-editable = This application can no longer be changed here (its situation is { $status }).
conflict = Your application was changed in another window at the same time. Reload the page and check it.
key-reused = This request key was already used for another application.

categories-letter = Letter
categories-category = Category
categories-longest = Longest exemption

## The New Card Application
kind-new-card = New Card Application
action-start-new-card = New Card Application
step-card = Reason and Address
preview-create-new-card = Create My New Card Application
card-title = New Card Application
card-lead = Choose correctly why your card is to be renewed and follow the instructions for that reason. After the necessary payments are made and your application is approved, your new card is sent to your registered address or to a different address you give.
field-reason = Reason for the New Card
field-reason-name = Reason for the New Card
reason-lost_or_stolen = New Card Request Due to Lost / Stolen
reason-lost_or_stolen-help = Choose this if your card was lost or stolen, or is damaged. After you submit, pay the fee and the valuable paper fee as notified to your e-mail address; once the payment is confirmed, your card is reprinted and sent to the address you specified.
reason-personal_information_change = New Card Request Due to Change in Personal Information
reason-personal_information_change-help = Your personal information regarding your identification number obtained from the Directorate of Migration Management is shown below. If your information has changed, please check and complete your application. If there is no change in your personal information, complete your information changes through the Provincial Directorate of Migration Management closest to you and create your new card application here.
reason-administration_error = Renewal of Incorrectly Printed Card Due to the Fault of the Administration
reason-administration_error-help = Please fill in your explanation, the scanned version of your current card, and other information supporting your reasons. Your application will be reviewed by the Administration and information about the process will be sent to your e-mail address. If, as a result of the evaluation, your card needs to be reprinted for a reason other than an administrative defect, you will have to pay the fee and/or the valuable paper fee.
card-amounts = Amounts Payable
card-amount-fee = Fee: { $amount } ₺
card-amount-paper = Valuable Paper Fee: { $amount } ₺
card-amount-after-review = 0 ₺ or (You will be notified by e-mail after the review.)
card-amount-estimate = These are the rates known today; the year's published rates apply when you pay.
field-description = Description
field-description-name = Description
card-description-help = Required for a card printed incorrectly: what is wrong on it ({ $min } to { $max } characters).
slot-supporting = Supporting Documents
slot-supporting-help = Upload other documents supporting your reasons (for example, an official document showing the correct information printed incorrectly on your card). Required for a card printed incorrectly.
slot-card_front_back = Front and Back Copy of Your Current Card
slot-card_front_back-help = Upload the front/back scanned version of your current card. Required for a card printed incorrectly.
card-documents = Documents
card-address-registered = Your Registered Address in the System
card-address-full = Full Address
card-address-none = No address is recorded for your exemption: give the address to send the card to.
card-address-different = I want my new card to be sent to a different address than the one specified.
field-different_address-residential_code = Residential Address Code
card-address-code-help = The 10-digit address code on your residence certificate (e-Devlet "Yerleşim Yeri Belgesi"); the address is looked up.
card-address-different-saved = The card will be sent to: { $address }
card-comparison-title = Your Personal Information
card-comparison-caption = Your information as the exemption was approved, beside the Presidency of Migration Management's record today
card-comparison-field = Information
card-comparison-system = Your Current Information in the System
card-comparison-registry = Your Current Information Received from Presidency of Migration Management
card-comparison-same = Your information in the system is the same as the Presidency of Migration Management's. If your personal information has changed, first have it updated at the Provincial Directorate of Migration Management closest to you, then create your new card application here.
card-save = Save and Continue
card-exemption = For the exemption { $number }
new-card-exemption-not-active = A new card can only be requested for an approved work-permit exemption that is ACTIVE.
new-card-exemption-without-card = This exemption came without a card (it is shorter than three months and no certificate was requested), so there is no card to renew.
new-card-not-in-registry = The Presidency of Migration Management has no record under the foreigner identity number of your exemption. Apply to the Provincial Directorate of Migration Management closest to you.
new-card-nothing-changed = Your information in the system is the same as the Presidency of Migration Management's: there is nothing to change on your card. If your personal information has changed, first have it updated at the Provincial Directorate of Migration Management closest to you.
new-card-address-missing = Give the address to send your new card to.
