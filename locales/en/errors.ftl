# Messages that say what to fix. Field messages are keyed by the rule's stable code.

email-empty = Enter your e-mail address.
email-too-long = The e-mail address is too long. Use an address of at most 254 characters.
email-not-one-at = Enter an e-mail address like name@example.com, with one @.
email-bad-local-part = Check the part before the @: it may not be empty, start or end with a dot, or contain spaces.
email-bad-domain = Check the part after the @: it must be a domain like example.com.
code-empty = Enter the 6-digit code from the e-mail.
code-wrong-shape = The code has exactly 6 digits. Check it and try again.
code-none = There is no valid code for this sign-in. Ask for a new code.
code-too-many-attempts = Too many codes have been entered from your connection. Try again in { $minutes } minutes.
challenge-invalid = Send the challenge you received when you asked for the code (the "challenge" of that answer). Ask for a new code if you no longer have it.
code-wrong = The code is not correct. { $attempts ->
    [one] You can try 1 more time.
   *[other] You can try { $attempts } more times.
}
code-expired = This code has expired: codes work for 10 minutes. Ask for a new code.
code-used = This code has already been used. Ask for a new code to log in again.
code-superseded = A newer code has been sent. Enter the code from the most recent e-mail.
code-voided = The code was entered wrongly 5 times and no longer works. Ask for a new code.
declaration-not-matched = The passport details you gave do not match the records. Check the passport number, the country of issue (or the reference number) and your birth year, and start again.
code-too-soon = Please wait { $seconds } seconds before asking for a new code.
code-hourly-limit = Too many codes have been asked for this address from your connection. Try again in { $minutes } minutes.
code-client-limit = Too many codes have been requested from your network. Try again in { $minutes } minutes.
login-pending-missing = Your log-in form has expired. Enter your e-mail address again.
csrf-failed = For your security this form has expired. Check your entries and submit again.

problem-not-json = The request body is not valid JSON (line { $line }, column { $column }). Check the quotes, commas and brackets there.
problem-body-unreadable = The request body could not be read. Send it again.
problem-bad-multipart = The body is not a multipart/form-data form that can be read. Send the text parts first, then the file.
kind-first = Send the "kind" part before the "file" part.
slot-first = Send the "slot" part before the "file" part.
field-required = This field is required: send it.
field-unknown = This field is not part of this call: leave it out or check its spelling.
field-wrong-type = This value has the wrong type: send { $expected }.
field-invalid = This value is not one this field accepts.
expected-text = text (a JSON string)
expected-boolean = true or false
expected-whole-number = a whole number
expected-number = a number
expected-list = a list (a JSON array)
expected-object = an object
expected-other = a value of the documented type
problem-unsupported-media-type = Send the request body as application/json.
problem-unsupported-media-type-upload = Send application/json (to use one of your documents) or multipart/form-data (to upload a file).
problem-payload-too-large = The request body is too large.
problem-unauthenticated = Log in first: send a valid session token as "Authorization: Bearer …".
problem-session-expired = Your session has ended. Log in again.
problem-not-found = There is nothing at this address.
problem-invalid-path = This address is not valid: see "errors" for the part that is wrong.
path-invalid = This part of the address is not an identifier of the expected kind (for example a UUID like 01a2…-…).
problem-invalid-query = A parameter of this address's query is not valid; check it against the API description.
idempotency-key-invalid = An Idempotency-Key is 1 to { $max } visible ASCII characters (a UUID works well). Send a shorter one: a key that is refused would not protect a repeat.
problem-method-not-allowed = This address does not accept this method.
problem-validation = Some fields are not valid. See "errors" for what to fix.
problem-rate-limited = Too many requests. Try again later.
problem-csrf = Send the X-CSRF-Token header with requests authenticated by the session cookie.
problem-internal = Something went wrong on our side. Nothing you saved has been lost; try again later.
problem-unavailable = The service is temporarily unavailable. Try again later.
