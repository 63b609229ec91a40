# Payments (seed §4.7): the notice, the mails, the Detail page's section, the officers' view.

## Mails
payment-mail-notice-subject = Application { $number }: payment due
payment-mail-notice-intro = Your { $kind } application { $number } has been approved at the first stage. To conclude it, pay the amounts below in full by the deadline.
payment-mail-amount = { $account } { $name }: { $amount } TRY
payment-mail-quote = Foreigner identity number to declare: { $foreigner_id } · Transaction reference number: { $reference }
payment-mail-deadline = Last day to pay: { $deadline } (Türkiye time).
payment-mail-foreigner-id-assigned = You had no foreigner identity number, so the authority has assigned you { $foreigner_id }. Quote it with your payment; it is also on your User Information.
payment-mail-ways = You can pay in either of two ways:
payment-mail-deadline-rule = If the payment is not made within 30 days, the application is rejected and no objection can be made against that decision.
payment-mail-reminder-subject = Application { $number }: one week left to pay
payment-mail-reminder-intro = Your { $kind } application { $number } is still waiting for payment. One week is left.
payment-mail-repriced-subject = Application { $number }: the amounts to pay changed with the new year
payment-mail-repriced-intro = Your { $kind } application { $number } is still waiting for payment. Fees are charged at the rates of the year in which they are paid, so from 1 January { $year } the amounts below are due.
payment-mail-expired-subject = Application { $number }: rejected, payment not made in time
payment-mail-expired-intro = Your { $kind } application { $number } has been rejected because the payment was not made by { $deadline }.
payment-mail-expired-late = If you paid in time and your payment simply reached us late, contact the authority with your receipt: an officer can count it.
payment-expired-reason = Payment not made within 30 days — no objection possible.
payment-repriced-reason = Amounts recomputed at the { $year } rates: a payment still open on 1 January is due at the new year's rates.

## The application's Detail page
payment-title = Payment
payment-lead = Pay each amount below in full by the deadline. You do not need to send us a receipt: the payment reaches us by itself.
payment-amount = Amount
payment-account = Account code
payment-account-name = Paid for
payment-state = State
payment-paid = Paid
payment-unpaid = Not paid yet
payment-foreigner-id = Foreigner identity number to declare
payment-foreigner-id-assigned = assigned to you by the authority
payment-reference = Transaction reference number
payment-deadline = Last day to pay
payment-deadline-note = until the end of the day, Türkiye time
payment-institution = Institution
payment-ways = How to pay
payment-way-digital = (a) Digital Tax Office
payment-way-bank = (b) A contracted bank
payment-rates-year = At the { $year } rates.
payment-rates-earlier = Paid in { $year }: { $amount } TRY.
payment-rates-missing = The { $year } rates are not published yet: the amounts above are the { $previous } rates and may change. We will write to you.
payment-settled = Every amount is paid.
payment-expired = The deadline passed without the full payment: the application was rejected.

## Officers
payment-officer-title = Payments
payment-officer-open = Waiting for payment
payment-officer-unmatched = Payments no application could count
payment-officer-unmatched-lead = Each was kept with its reason for refund handling or, when it was paid in time and arrived after the rejection, for reinstating the application.
payment-officer-missing-rates = { $count } open payment(s) are still at an old year's rates: the fee table has no rates for the new year.
payment-officer-none = Nothing here.
payment-officer-received = Received
payment-officer-paid-at = Paid at
payment-officer-channel = Channel
payment-officer-reason = Reason
payment-officer-application = Application
payment-officer-payer = Payer
payment-officer-record = Record a payment by hand
payment-officer-record-lead = Only for a payment the portal never received (a receipt brought in person). Another approver than the one who approved the application must record it.
payment-officer-paid-on = Paid on (YYYY-MM-DD)
payment-officer-bank = Bank
payment-officer-receipt-no = Receipt number
payment-officer-why = Why by hand
payment-officer-record-submit = Record the payment
payment-officer-reinstate = Count it and reinstate the application
payment-officer-reinstate-reason = Why
payment-officer-recorded = The payment was recorded.
payment-officer-reinstated = The payment was counted.
payment-channel-notification = Digital Tax Office
payment-channel-bank_file = Bank file
payment-channel-manual = By hand
payment-unmatched-unknown_reference = No application of this payer owes this
payment-unmatched-wrong_amount = Not the amount due
payment-unmatched-already_paid = Already paid
payment-unmatched-not_pending = The application no longer waits for payment
payment-unmatched-ambiguous = Two applications of the payer owe the same amount
payment-unmatched-paid_on_time_arrived_late = Paid in time, arrived after the rejection

## Errors
payment-reason-required = Write why.
payment-account-unknown = Choose one of the application's account codes.
payment-amount-invalid = Write the amount with a dot and two decimals, such as 964.00.
payment-date-invalid = Write the day of payment as YYYY-MM-DD.
payment-receipt-incomplete = Give both the bank and the receipt number, or neither.
payment-same-officer = You approved this application: another approver must record its payment.
payment-not-reinstatable = This receipt cannot reinstate its application.
payment-nothing-due = Nothing is due on this application.

## The demo's Digital Tax Office
dev-pay-title = Digital Tax Office (demo)
dev-pay-lead = This page plays the revenue administration's "Payment with Reference Number" screen. It exists only in demo mode: paying here sends the portal a signed payment notification, as the real office would.
dev-pay-find = Show the amounts
dev-pay-pay = Pay
dev-pay-paid = Paid: { $account } { $amount } TRY.
dev-pay-not-found = No payment is waiting under this foreigner identity number and transaction reference number.
