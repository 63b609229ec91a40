## The Proof Document (printed in both languages: these are its English half)
proof-authority-labour = Republic of Türkiye Ministry of Labour and Social Security
proof-authority-migration = Republic of Türkiye Presidency of Migration Management
proof-title-work-permit-exemption = Proof Document of Work Permit Exemption
proof-field-number = Document number
proof-field-first-name = Name
proof-field-last-name = Surname
proof-field-nationality = Nationality
proof-field-birth-date = Date of birth
proof-field-foreigner-id = Foreigner ID No
proof-field-passport-number = Passport number
proof-field-category = Exemption category
proof-field-sector = Sector
proof-field-occupation = Occupation
proof-field-workplace = Workplace
proof-field-valid-from = Valid from
proof-field-valid-until = Valid until
proof-field-issued-on = Date of issue
proof-field-verification-code = Verification code
proof-how-to-verify = Check this document at { $url }: enter its number and verification code, or scan the QR code. The QR code also carries a digital signature that can be checked offline against the keys published at { $keys }.
proof-photo-placeholder = Photo

## The document on the application's Detail
document-heading = Your document
document-being-prepared = Your document is being prepared. It will be attached to the approval e-mail and can be downloaded here.
document-number = Document number
document-code = Verification code
document-status = Status
document-download = Download the Proof Document (PDF)
document-verify-hint = Anyone you show the document to can check it at /verify with the number and the code.

## /verify
verify-title = Verify a document
verify-lead = Enter the document number and the verification code printed on the document, or open the link in its QR code.
verify-number = Document number
verify-number-hint = As printed, such as 2026-0001234-56.
verify-code = Verification code
verify-code-hint = Ten letters and digits, such as ABCDE-FGHJK.
verify-submit = Verify
verify-result = Result
verify-not-found = No document has this number and verification code. Check both as printed on the document.
verify-number-invalid = This is not a document number: it has 13 digits, such as 2026-0001234-56. Check the digits as printed.
verify-code-invalid = This is not a verification code: it has ten letters and digits, such as ABCDE-FGHJK.
verify-too-many = Too many attempts from your connection. Wait a few minutes and try again.
verify-being-prepared = This document is being prepared. Try again in a few minutes.
verify-holder = Holder
verify-grants = Grants
verify-validity = Validity
verify-valid-range = { $from } to { $until }
verify-photo-alt = The holder's photo as printed on the document
verify-signature-valid = The digital signature in the QR code is valid.
verify-signature-invalid = The digital signature in the QR code does not match this document: the QR code may have been altered.
verify-status-VALID = VALID
verify-status-NOT_YET_VALID = NOT YET VALID
verify-status-EXPIRED = EXPIRED
verify-status-CANCELLED = CANCELLED
verify-status-REPLACED = REPLACED
verify-explain-VALID = The document is genuine and valid today.
verify-explain-NOT_YET_VALID = The document is genuine; its validity has not started yet.
verify-explain-EXPIRED = The document is genuine; its validity has ended.
verify-explain-CANCELLED = The document was cancelled by the authority and no longer grants anything.
verify-explain-REPLACED = A newer document (a new card) replaced this one: ask the holder for it.
verify-grants-work-permit-exemption = Work permit exemption: { $category }
verify-grants-residence-permit = Residence permit
card-how-to-verify = Verify at /verify with the number and code, or scan the QR code.

## The card in the post
card-mail-out-for-delivery-subject = Your card is out for delivery ({ $tracking })
card-mail-out-for-delivery-body = The card of your document { $number } is out for delivery today with PTT Cargo, tracking number { $tracking }, to:
    { $address }
    Follow it on your application's page: { $link }
card-mail-returned-subject = Your card could not be delivered ({ $tracking })
card-mail-returned-body = PTT Cargo could not deliver the card of your document { $number } (tracking number { $tracking }) to:
    { $address }
    It went back to the authority, which will send it again. If the address is wrong, tell the authority the right one. Your application's page: { $link }
shipment-heading = Your card in the post
shipment-tracking = Tracking number
shipment-address = Address
shipment-status = Status
shipment-status-created = Handed to PTT Cargo
shipment-status-accepted = Accepted by PTT Cargo
shipment-status-in_transit = On its way
shipment-status-out_for_delivery = Out for delivery
shipment-status-delivered = Delivered
shipment-status-returned_to_sender = Returned to the authority
shipment-waiting = Your card will be printed and sent by PTT Cargo to the address you gave.

## The officers' cards
officer-cards-title = Cards to print
officer-cards-lead = Produced documents whose card waits to be printed and handed to PTT Cargo. Download the chosen cards as one PDF (ID-1, front and back), print them, then mark them printed: each becomes a shipment with a tracking number.
officer-cards-none = No card waits to be printed.
officer-cards-choose = Choose
officer-cards-number = Document
officer-cards-holder = Holder
officer-cards-address = Delivery address
officer-cards-printed = Printed, not handed over
officer-cards-download = Download the chosen cards (PDF)
officer-cards-mark = Mark the chosen cards printed and hand them to PTT Cargo
officer-cards-shipped = { $count } card(s) handed to PTT Cargo.
officer-cards-failed = Not handed over: { $number } ({ $reason }). Try again.
officer-cards-nothing-chosen = Choose at least one card of your authority.
officer-cards-returned = Returned by PTT Cargo
officer-cards-returned-none = No card came back.
officer-cards-new-address = Corrected address
officer-cards-reship = Send again
officer-cards-reshipped = Sent again: tracking number { $tracking }.
officer-cards-address-required = Write the corrected address.
officer-cards-not-reshippable = This card cannot be sent again (already sent again, or not returned).
officer-nav-cards = Cards

## The demo's PTT Cargo
dev-cargo-title = PTT Cargo (demo)
dev-cargo-lead = This page plays PTT Cargo. It exists only in demo mode: moving a shipment on sends the portal a signed status report, as the real carrier would.
dev-cargo-none = No shipment is on its way.
dev-cargo-next = Report: { $status }
dev-cargo-return = Report: returned to sender
dev-cargo-reported = Reported { $status } for { $tracking }.
