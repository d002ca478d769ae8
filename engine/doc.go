// Package engine runs simulated Twilio voice calls.
//
// An Engine fetches TwiML from the application (an http.Handler in process,
// or a server over HTTP), executes it verb by verb on a simulated call, and
// at <Dial> rings every noun at once, one goroutine a leg, against the
// scripted parties of its Directory. The first answer wins (or, under the
// FirstAccept policy, the first whisper to accept); the other legs are
// cancelled through their contexts; the noun's whisper TwiML runs on the
// answering leg before the bridge. When the Dial ends, its action is
// requested with DialCallStatus, DialCallSid, DialCallDuration and
// DialBridged, by the rules of docs/twilio.md, “How a Dial ends”, kept
// together in dialStatus.
//
// Calls run on the virtual clock of package fake unless Engine.Clock says
// otherwise, so a call gives the same transcript on every run: its Result
// lists typed Events with virtual timestamps, printed by WriteText and
// WriteJSON.
//
// # Durations
//
// Every duration counts from one moment of the call:
//
//	field                 counts from               to
//	Event.T               the call's start          the event
//	Result.Duration       the call's start          its end (call.end CallDuration)
//	Caller.Hangup         the call's start          the caller's hangup
//	DialResult.At         the call's start          the Dial's start
//	DialResult.Connect    the Dial's start          the bridge
//	DialResult.Duration   the bridged leg's answer  its end (DialCallDuration)
//	leg.end CallDuration  the leg's answer          its end
//	Dial timeout          the leg's ring            its no-answer
//	fake.Party.After      the leg's ring            its answer, busy, fail, reject
//	fake.Party.Hangup     the leg's answer          the party's hangup
//	fake.Party.Talk       the bridge                the party's hangup
//	fake.Press.After      the Gather's start        the keys (caller's or party's)
//	  with hangupOnStar   the bridge                the caller's keys
//	Gather timeout        the end of its prompts    it gives up
//
// A leg rings from its Dial's start, or, in a sequential Dial, from its
// noun's turn. Event.Seconds reads the fields that count seconds, and
// DialResult.DialCallDuration rounds Duration as Twilio does.
//
// An Engine is used by many goroutines at once. Its calls share a Cache of
// the documents they fetch, compiled, bounded by bytes; an application
// that is a DocumentFinder, as Documents is, has its documents looked up
// instead of served.
//
// A World runs many calls on one virtual clock (world.go): callers
// arriving at given instants, agents calling in again after each call,
// outbound-api calls and updates made at virtual instants
// (World.CreateCall, World.UpdateCall, World.DequeueMember), sharing the
// queues (<Enqueue>, <Leave>, <Dial><Queue>: queue.go) and conference rooms
// (<Dial><Conference>: conference.go) of the world. Its transcript names
// each event's call, in the order the clock ran them, the same on every
// run.
package engine
