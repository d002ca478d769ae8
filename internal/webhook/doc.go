// Package webhook makes dialsim's requests to the user's application the
// way Twilio makes them, and reports failures with Twilio's error codes.
//
// A [Fetcher] makes the requests of one simulated call: [Fetcher.Do]
// fetches TwiML documents (the voice URL, Dial and Gather actions,
// whisper URLs, redirects) and [Fetcher.Notify] sends status callbacks.
// Requests are served either in-process by an http.Handler, with no
// network, or over the network by an http.Client; both paths behave alike.
//
// Every request carries Twilio's headers: User-Agent TwilioProxy/1.1,
// Accept */*, Content-Type application/x-www-form-urlencoded for POST, and
// X-Twilio-Signature when an auth token is configured (computed by package
// github.com/dialsim/dialsim/signature, which applications written in Go
// use to check it). POST sends the
// parameters as a form body; GET appends them to the URL's query.
//
// Like Twilio, a Fetcher
//   - reads an answer by its Content-Type: text/xml, application/xml and
//     text/html are TwiML, text/plain is TwiML if its root element is
//     <Response> and is otherwise read aloud (a <Say>, then <Hangup>),
//     audio/* is played (a <Play> of its URL, then <Hangup>), and
//     anything else is 12300; a charset in the Content-Type (UTF-8,
//     US-ASCII or ISO-8859-1) is honoured;
//   - follows up to ten HTTP redirects, each repeating the request with
//     its method and parameters (POST body included, whatever the 3xx)
//     and keeping the initial URL's query, signed for its own URL;
//   - keeps the cookies the application sets and sends them back on
//     later requests of the same call SID ([Request].Jar), the TwiML
//     requests apart from the status callbacks, with expiry counted in
//     the call's time ([Request].Time);
//   - resends a POST when the application had closed the kept-alive
//     connection it went out on, as net/http's Transport resends a GET;
//   - gives up after 15 seconds of real time, and accepts TwiML bodies of
//     at most 64 KiB (both configurable), reading no more than that.
//
// Requests take no virtual time: the engine decides how long a request
// appears to last in the simulated call.
//
// Failures are *[Error] values carrying Twilio's code: 11100 invalid URL,
// 11200 HTTP retrieval failure, 11205 connection failure or timeout, 11210
// bad host name, 11215 too many redirects, 11217 4xx or 5xx answer, 11750
// body too large, 11770 empty body, 12300 invalid Content-Type.
package webhook
