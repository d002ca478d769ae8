// Package signature computes and checks X-Twilio-Signature, the header
// with which Twilio signs every request it makes to an application, and
// with which dialsim signs its requests when a scenario has a token.
//
// The rule is Twilio's (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
// take the full URL that was requested, query included; for a POST, append
// each form parameter's name and value, names in byte order, with no
// separators; compute the HMAC-SHA1 of that text keyed with the account's
// auth token; encode it in base64. For an https URL the port (and any
// user:password) is removed from the URL before signing.
//
// An application checks an incoming request with [Request], or wraps its
// handler with [Handler], which answers 403 Forbidden to a request whose
// signature does not match. [Sign] and [Check] work on the parts of a
// request, for code that has them already (a test, or a proxy that knows
// the public URL).
//
// The URL to check against is the one Twilio (or dialsim) was given. An
// application behind a proxy or tunnel that changes the scheme, host or
// port sees another one, and must pass the public URL to [Request].
//
// Requests whose body is JSON, which Twilio signs with a bodySHA256 query
// parameter, are outside this package: Twilio's voice webhooks are forms.
package signature
