// Package scenarios reads scenario files: a simulated call, the way its
// caller and the dialed parties behave, the application's TwiML and the
// transcript the simulation is expected to give. Parse turns a file into
// a Scenario; Scenario.WithWant rewrites its expected transcript.
//
// The rest of this comment is the language reference, also available as
// the constant Reference (printed by "dialsim help scenario").
//
// # Scenario files
//
// A scenario file is a txtar archive: a header of directives, then files,
// each starting with a marker line "-- NAME --". A file named after a URL
// path ("-- /voice --") is the TwiML document the application returns for
// that path. The file named "want" holds the expected transcript; the
// -update flag rewrites it and leaves every other byte of the file alone.
//
//	# Simultaneous ring: jenny answers at 3 s and is connected;
//	# tommy is busy; the number is canceled when jenny answers.
//	call from=+15550001111 to=+15550002222 url=/voice
//	party client:jenny answer=3s talk=45s
//	party client:tommy busy
//	party +18589876543 answer=8s
//	-- /voice --
//	<Response>
//	  <Dial callerId="+15550002222">
//	    <Number>858-987-6543</Number>
//	    <Client>jenny</Client>
//	    <Client>tommy</Client>
//	  </Dial>
//	</Response>
//	-- want --
//	(the transcript)
//
// The header has one directive a line. The #-lines at the very top
// describe the scenario. Elsewhere blank lines are ignored and a word
// starting with # begins a comment that runs to the end of the line.
// Words are separated by spaces, except inside parentheses and double
// quotes. Problems are
// reported as FILE:LINE: message.
//
// # Directives
//
//	call from=ADDR to=ADDR url=PATH [method=POST|GET] [fallback=PATH] [sid=SID]
//
// Required, once: the incoming call from ADDR to ADDR. When it starts,
// the simulator requests url with method (default POST); fallback is
// requested if url fails. PATH starts with / and names a file of the
// archive (or, with app, a path of the running application); it may also
// be an absolute http or https URL. sid sets the CallSid (CA and 32
// hexadecimal digits, 0-9 a-f); without it, the SIDs derive from the
// file's base name and the call, so they are the same on every run and
// differ between the scenarios of a suite.
//
//	caller [press=KEYS[@DUR]]... [say=SPEECH]... [record=MESSAGE]... [hangup=DUR]
//
// At most once: what the caller does. At each <Gather> the call meets, in
// order, the caller presses the next KEYS, DUR after the Gather starts
// listening (default 1s). The bridge of a <Dial hangupOnStar="true"> takes
// the next KEYS too: if they hold *, the caller ends the bridge DUR after
// it starts. At each <Record>, the caller plays the next record MESSAGE
// (see "The caller at a Record"). hangup: the caller hangs up DUR after
// the call starts. Without caller, the caller presses nothing, says
// nothing and never hangs up.
//
// say=SPEECH says words instead of pressing keys (see "Speech"); presses
// and says are one list, in the order written: each takes the next point
// of input.
//
//	party ADDR BEHAVIOUR...
//
// Once per address: how ADDR behaves when the application dials it (see
// "Scripted parties" and "Random parties"). A party the application dials
// that the scenario does not list rings until it is canceled, and the
// transcript says it was not listed.
//
//	policy first-answer|first-accept
//
// The screening policy for Dial nouns with a whisper url. first-answer
// (the default): the first leg to answer wins and the others are
// canceled at once; a declined whisper ends the Dial. first-accept: each
// answered leg runs its whisper; the first to accept is bridged.
//
//	token AUTH_TOKEN
//
// The auth token with which requests to the application are signed
// (X-Twilio-Signature). dialsim's --token replaces it; without either,
// $TWILIO_AUTH_TOKEN is used.
//
//	app BASE_URL
//
// Request the documents from the application running at BASE_URL (http
// or https): paths are resolved against it. The archive then holds no
// TwiML documents. A file with neither app nor documents runs against
// the application given when it runs (dialsim's --app or $DIALSIM_APP,
// RunOptions.BaseURL or Handler), which also replaces an app line.
//
//	seed N
//
// The seed (0 to 2^64-1, default 0) from which random parties draw their
// behaviour, so that a scenario with random parties gives one transcript.
//
// # Values
//
//	ADDR   an E.164 number, +18589876543, or a client, client:jenny, as
//	       twiml.ValidAddress accepts: a country code in use, at most 15
//	       digits; a client name of up to 256 characters (not bytes)
//	DUR    a Go duration: 3s, 1m30s, 500ms, 0
//	KEYS   DTMF keys from 0-9, * and #: 1, 42#
//	SPEECH words in double quotes, see "Speech": "check my balance"@2s
//	DIST   a distribution of durations:
//	         3s or fixed(3s)       always 3s
//	         uniform(2s,8s)        uniformly between 2s and 8s
//	         exp(4s)               exponential, mean 4s
//	         lognormal(5s,0.5)     log-normal, median 5s, sigma 0.5
//	P      a probability: 0.1, 1, or a percentage, 10%
//
// # Scripted parties
//
// A party whose values are all fixed does the same thing on every run:
//
//	answer=DUR     answers after ringing DUR (answer alone: at once)
//	busy[=DUR]     is busy, at once or after DUR
//	fail[=DUR]     cannot be reached, at once or after DUR
//	reject[=DUR]   declines while ringing, like pressing decline
//	noanswer       rings until canceled (also a listed party's default)
//	talk=DUR       hangs up DUR after being bridged (default: stays)
//	hangup=DUR     hangs up DUR after answering, whisper or not
//	press=KEYS[@DUR]
//	               in the whisper's Gathers, in order, presses KEYS DUR
//	               after the Gather starts listening (default 1s)
//	say=SPEECH     in the whisper's Gathers, in the same order as press,
//	               says words (see "Speech")
//	voicemail      an answering machine: answers, never presses a key
//	               and never speaks (it plays its greeting)
//	greeting=DUR   speaks DUR when it picks up (default: 1s, a voicemail
//	               10s, up to its beep): what machine detection hears
//	silent         says nothing when it picks up
//
// A party has at most one of answer, busy, fail, reject and noanswer.
// talk, hangup, press, say, voicemail, greeting and silent need answer;
// voicemail excludes press and say, silent excludes greeting.
//
// # Random parties
//
// A party with a distribution among its durations, or a probability among
// its outcomes, is random: its behaviour is drawn anew for each simulated
// call, from the seed (the statistics runner's run i uses the seed and
// stream i). For example, jenny is busy 10% of the time, unreachable 5%,
// never answers 10%, her voicemail picks up after 1 to 3 seconds 20% of
// the time, and otherwise she answers after about 6 seconds, presses 1
// when screened and talks for a minute on average:
//
//	party client:jenny answer=lognormal(6s,0.5) busy=0.1 fail=0.05 noanswer=0.1 voicemail=0.2@uniform(1s,3s) talk=exp(1m) press=1@2s
//
// The behaviours of a random party:
//
//	answer=DIST           ring time before a human answers (required)
//	busy=P                busy at once with probability P
//	fail=P                cannot be reached, with probability P
//	noanswer=P            rings until canceled, with probability P
//	reject=P              declines after a ring time drawn from answer
//	voicemail=P[@DIST]    voicemail picks up after DIST (default: answer)
//	talk=DIST             how long whoever answered stays once bridged
//	greeting=DIST         how long the voicemail's greeting lasts (10s)
//	press=KEYS[@DUR]      what a human presses in screening, as above
//	say=SPEECH            what a human says in screening, fixed or random
//
// The probabilities sum to at most 1; the rest of the time a human
// answers. Voicemail presses nothing; hangup is not available. A plain
// number without a unit is a probability, except 0, which is a duration
// unless the party is random for another reason.
//
// # Speech
//
// A caller, or a party in its whisper, can say words at a point of input,
// heard by a <Gather input="speech"> or input="dtmf speech":
//
//	say="WORDS"[~C][@DIST]
//	say=P:"WORDS"[~C]|P:"WORDS"[~C]...[@DIST]
//
// WORDS are said (no double quote inside), DIST after the Gather starts
// listening (default 1s), with the recognizer's confidence C in (0, 1]
// (default 0.9): the action gets SpeechResult=WORDS and Confidence=C.
// The words last as long as a <Say> of them (0.4 s a word). A single
// word needs no quotes (say=yes@1s), and ~C may follow the time instead
// (say="yes"@1s~0.8, for every phrase without one). The second form is a
// choice, for statistics: each phrase is said with probability
// P (the P sum to 1), e.g. a caller who says yes 70% of the time, and no,
// less clearly, otherwise, 1 to 3 seconds after the Gather starts:
//
//	caller say=0.7:"yes"|0.3:"no"~0.6@uniform(1s,3s)
//
// A choice, or a DIST that is a distribution, makes the caller (or the
// party) random: each run draws every input anew from the seed, the
// caller's after the parties'. A Gather that takes only keys ignores
// speech, one that takes only speech ignores keys.
//
// # The caller at a Record
//
// Each record=MESSAGE of the caller directive is what the caller does at
// one <Record>, in order: the first at the first Record the call meets,
// and so on; a Record beyond the last hears silence. A MESSAGE is a
// sequence of steps joined by +, which start when the beep ends (the
// recording's start), each when the one before it ends:
//
//	talk(DIST)            speaks for DIST
//	talk(DIST,"TEXT")     the same; TEXT is what a transcription of the
//	                      recording reads (the texts of several talks
//	                      are joined by a space)
//	silent(DIST)          says nothing for DIST
//	press(KEY[@DIST])     presses KEY (one of 0-9, * and #) after a
//	                      silence of DIST (default 0)
//	hangup[(DIST)]        hangs up after a silence of DIST (default 0);
//	                      nothing may follow it
//	silent                (alone) says nothing at all
//
// After its steps the caller is silent. The Record's timeout, a key of its
// finishOnKey, maxLength or the hang-up ends the recording, whichever
// comes first. For example:
//
//	caller record=talk(20s,"please call me back")+press(#@1s)
//
// A MESSAGE may instead be a choice drawn for each run, written
// P:MESSAGE|P:MESSAGE..., whose probabilities sum to 1: 60% of callers
// leave a message of 10 to 60 seconds, the others hang up after 3 s:
//
//	caller record=0.6:talk(uniform(10s,60s))|0.4:hangup(3s)
//
// A TEXT is a Go string in double quotes; it may not hold parentheses.
//
// # Worlds
//
// A scenario may hold several calls on one virtual clock, a world: named
// calls, random arrivals and agents, which share the queues of the
// application. Each transcript line then names its call after the time,
// and lines are in the order things happened: by time, then in the order
// the clock ran them, the same on every run. A scenario whose one call
// directive has no name= is a single call, printed as it always was.
//
//	call name=NAME from=ADDR to=ADDR url=PATH [at=DUR] [method=POST|GET] [fallback=PATH]
//
// A caller's call arriving at DUR (default 0) from the start of the world.
// NAME (letters, digits, - and _) is unique in the world.
//
//	caller NAME [press=KEYS[@DUR]]... [hangup=DUR] [patience=DIST] [talk=DIST]
//
// What the caller of call NAME does, after its call line: press and hangup
// as for a single call; patience: the caller hangs up once it has waited
// DIST in a queue (drawn at each Enqueue; default: never); talk: the
// caller hangs up DIST after a queue's bridge starts (default: the other
// side ends it).
//
// A caller directive without a name in a world (caller press=...
// patience=exp(1m)) is the script of every caller without one of its own:
// the call without name=, which a world names call, named calls without a
// caller NAME, and arrivals, for what their directive does not set. A
// patience= or talk= makes any scenario a world.
//
//	arrivals n=N every=DIST from=ADDR to=ADDR url=PATH [name=PREFIX] [start=DUR] [patience=DIST] [talk=DIST] [press=KEYS[@DUR]]...
//
// N callers, named PREFIX1 to PREFIXN (default caller1 ...): the first
// arrives DIST after start (default 0), each next one DIST after the one
// before, drawn from the seed; every=exp(36s) is a Poisson stream of 100
// calls an hour. patience, talk and press are each caller's.
//
//	agent name=NAME from=ADDR to=ADDR url=PATH [n=N] [at=DUR] [talk=DIST] [wrap=DIST]
//
// N agents (NAME, or NAME1 to NAMEN), each placing its call at DUR
// (default 0), then again wrap after each of its calls ends (default at
// once; the calls are named NAME.2, NAME.3 ...), while a caller's call has
// not ended; when the last one ends, every agent hangs up. talk: the agent
// hangs up DIST after a queue's bridge starts, its service time. The
// agent's document usually dials a queue:
// <Dial><Queue>support</Queue></Dial>.
//
//	at DUR create [name=NAME] from=ADDR to=ADDR url=PATH [method=POST|GET] [timeout=SECONDS] [senddigits=KEYS] [statuscallback=PATH] [statuscallbackevent=EVENT,...] [statuscallbackmethod=POST|GET] [machinedetection=Enable|DetectMessageEnd]
//	at DUR redirect NAME url=PATH [method=POST|GET]
//	at DUR hangup NAME [status=completed|canceled]
//	at DUR dequeue QUEUE [call=NAME] url=PATH [method=POST|GET]
//	at DUR endconference ROOM
//	at DUR mute|unmute|hold|unhold NAME
//
// Requests to the Calls resource at the instant DUR of the world, as a
// REST client would make them. create places an outbound-api call (named
// NAME, default api1, api2 ...) to the party at to= (a party directive
// says how it answers; its press= are its keys in the call's Gathers, its
// hangup= how long after answering it hangs up), which requests url with
// Direction=outbound-api once answered; it rings timeout seconds (default
// 60) before it ends no-answer. EVENT is initiated, ringing, answered or
// completed (completed alone by default). redirect runs url on the live
// call NAME at once, cutting short what it was doing; hangup ends it
// (status=canceled only ends a call still ringing or not yet placed);
// dequeue takes call NAME (default: the first) out of QUEUE with
// QueueResult=redirected and runs url on it; endconference ends the live
// conference of ROOM; mute, unmute, hold and unhold change call NAME in its
// conference. What each request answered is
// an api line of the transcript.
package scenarios

// Reference is the scenario language reference of the package comment, as
// plain text for "dialsim help scenario".
const Reference = `Scenario files

A scenario file is a txtar archive: a header of directives, then files,
each starting with a marker line "-- NAME --". A file named after a URL
path ("-- /voice --") is the TwiML document the application returns for
that path. The file named "want" holds the expected transcript; the
-update flag rewrites it and leaves every other byte of the file alone.

	# Simultaneous ring: jenny answers at 3 s and is connected;
	# tommy is busy; the number is canceled when jenny answers.
	call from=+15550001111 to=+15550002222 url=/voice
	party client:jenny answer=3s talk=45s
	party client:tommy busy
	party +18589876543 answer=8s
	-- /voice --
	<Response>
	  <Dial callerId="+15550002222">
	    <Number>858-987-6543</Number>
	    <Client>jenny</Client>
	    <Client>tommy</Client>
	  </Dial>
	</Response>
	-- want --
	(the transcript)

The header has one directive a line. The #-lines at the very top
describe the scenario. Elsewhere blank lines are ignored and a word
starting with # begins a comment that runs to the end of the line.
Words are separated by spaces, except inside parentheses and double
quotes. Problems are
reported as FILE:LINE: message.

Directives

	call from=ADDR to=ADDR url=PATH [method=POST|GET] [fallback=PATH] [sid=SID]

Required, once: the incoming call from ADDR to ADDR. When it starts,
the simulator requests url with method (default POST); fallback is
requested if url fails. PATH starts with / and names a file of the
archive (or, with app, a path of the running application); it may also
be an absolute http or https URL. sid sets the CallSid (CA and 32
hexadecimal digits, 0-9 a-f); without it, the SIDs derive from the
file's base name and the call, so they are the same on every run and
differ between the scenarios of a suite.

	caller [press=KEYS[@DUR]]... [say=SPEECH]... [record=MESSAGE]... [hangup=DUR]

At most once: what the caller does. At each <Gather> the call meets, in
order, the caller presses the next KEYS, DUR after the Gather starts
listening (default 1s). The bridge of a <Dial hangupOnStar="true"> takes
the next KEYS too: if they hold *, the caller ends the bridge DUR after
it starts. At each <Record>, the caller plays the next record MESSAGE
(see "The caller at a Record"). hangup: the caller hangs up DUR after
the call starts. Without caller, the caller presses nothing, says
nothing and never hangs up.

say=SPEECH says words instead of pressing keys (see "Speech"); presses
and says are one list, in the order written: each takes the next point
of input.

	party ADDR BEHAVIOUR...

Once per address: how ADDR behaves when the application dials it (see
"Scripted parties" and "Random parties"). A party the application dials
that the scenario does not list rings until it is canceled, and the
transcript says it was not listed.

	policy first-answer|first-accept

The screening policy for Dial nouns with a whisper url. first-answer
(the default): the first leg to answer wins and the others are
canceled at once; a declined whisper ends the Dial. first-accept: each
answered leg runs its whisper; the first to accept is bridged.

	token AUTH_TOKEN

The auth token with which requests to the application are signed
(X-Twilio-Signature). dialsim's --token replaces it; without either,
$TWILIO_AUTH_TOKEN is used.

	app BASE_URL

Request the documents from the application running at BASE_URL (http
or https): paths are resolved against it. The archive then holds no
TwiML documents. A file with neither app nor documents runs against
the application given when it runs (dialsim's --app or $DIALSIM_APP,
RunOptions.BaseURL or Handler), which also replaces an app line.

	seed N

The seed (0 to 2^64-1, default 0) from which random parties draw their
behaviour, so that a scenario with random parties gives one transcript.

Values

	ADDR   an E.164 number, +18589876543, or a client, client:jenny, as
	       twiml.ValidAddress accepts: a country code in use, at most 15
	       digits; a client name of up to 256 characters (not bytes)
	DUR    a Go duration: 3s, 1m30s, 500ms, 0
	KEYS   DTMF keys from 0-9, * and #: 1, 42#
	SPEECH words in double quotes, see "Speech": "check my balance"@2s
	DIST   a distribution of durations:
	         3s or fixed(3s)       always 3s
	         uniform(2s,8s)        uniformly between 2s and 8s
	         exp(4s)               exponential, mean 4s
	         lognormal(5s,0.5)     log-normal, median 5s, sigma 0.5
	P      a probability: 0.1, 1, or a percentage, 10%

Scripted parties

A party whose values are all fixed does the same thing on every run:

	answer=DUR     answers after ringing DUR (answer alone: at once)
	busy[=DUR]     is busy, at once or after DUR
	fail[=DUR]     cannot be reached, at once or after DUR
	reject[=DUR]   declines while ringing, like pressing decline
	noanswer       rings until canceled (also a listed party's default)
	talk=DUR       hangs up DUR after being bridged (default: stays)
	hangup=DUR     hangs up DUR after answering, whisper or not
	press=KEYS[@DUR]
	               in the whisper's Gathers, in order, presses KEYS DUR
	               after the Gather starts listening (default 1s)
	say=SPEECH     in the whisper's Gathers, in the same order as press,
	               says words (see "Speech")
	voicemail      an answering machine: answers, never presses a key
	               and never speaks (it plays its greeting)
	greeting=DUR   speaks DUR when it picks up (default: 1s, a voicemail
	               10s, up to its beep): what machine detection hears
	silent         says nothing when it picks up

A party has at most one of answer, busy, fail, reject and noanswer.
talk, hangup, press, say, voicemail, greeting and silent need answer;
voicemail excludes press and say, silent excludes greeting.

Random parties

A party with a distribution among its durations, or a probability among
its outcomes, is random: its behaviour is drawn anew for each simulated
call, from the seed (the statistics runner's run i uses the seed and
stream i). For example, jenny is busy 10% of the time, unreachable 5%,
never answers 10%, her voicemail picks up after 1 to 3 seconds 20% of
the time, and otherwise she answers after about 6 seconds, presses 1
when screened and talks for a minute on average:

	party client:jenny answer=lognormal(6s,0.5) busy=0.1 fail=0.05 noanswer=0.1 voicemail=0.2@uniform(1s,3s) talk=exp(1m) press=1@2s

The behaviours of a random party:

	answer=DIST           ring time before a human answers (required)
	busy=P                busy at once with probability P
	fail=P                cannot be reached, with probability P
	noanswer=P            rings until canceled, with probability P
	reject=P              declines after a ring time drawn from answer
	voicemail=P[@DIST]    voicemail picks up after DIST (default: answer)
	talk=DIST             how long whoever answered stays once bridged
	greeting=DIST         how long the voicemail's greeting lasts (10s)
	press=KEYS[@DUR]      what a human presses in screening, as above
	say=SPEECH            what a human says in screening, fixed or random

The probabilities sum to at most 1; the rest of the time a human
answers. Voicemail presses nothing; hangup is not available. A plain
number without a unit is a probability, except 0, which is a duration
unless the party is random for another reason.

Speech

A caller, or a party in its whisper, can say words at a point of input,
heard by a <Gather input="speech"> or input="dtmf speech":

	say="WORDS"[~C][@DIST]
	say=P:"WORDS"[~C]|P:"WORDS"[~C]...[@DIST]

WORDS are said (no double quote inside), DIST after the Gather starts
listening (default 1s), with the recognizer's confidence C in (0, 1]
(default 0.9): the action gets SpeechResult=WORDS and Confidence=C.
The words last as long as a <Say> of them (0.4 s a word). A single
word needs no quotes (say=yes@1s), and ~C may follow the time instead
(say="yes"@1s~0.8, for every phrase without one). The second form is a
choice, for statistics: each phrase is said with probability
P (the P sum to 1), e.g. a caller who says yes 70% of the time, and no,
less clearly, otherwise, 1 to 3 seconds after the Gather starts:

	caller say=0.7:"yes"|0.3:"no"~0.6@uniform(1s,3s)

A choice, or a DIST that is a distribution, makes the caller (or the
party) random: each run draws every input anew from the seed, the
caller's after the parties'. A Gather that takes only keys ignores
speech, one that takes only speech ignores keys.

The caller at a Record

Each record=MESSAGE of the caller directive is what the caller does at
one <Record>, in order: the first at the first Record the call meets,
and so on; a Record beyond the last hears silence. A MESSAGE is a
sequence of steps joined by +, which start when the beep ends (the
recording's start), each when the one before it ends:

	talk(DIST)            speaks for DIST
	talk(DIST,"TEXT")     the same; TEXT is what a transcription of the
	                      recording reads (the texts of several talks
	                      are joined by a space)
	silent(DIST)          says nothing for DIST
	press(KEY[@DIST])     presses KEY (one of 0-9, * and #) after a
	                      silence of DIST (default 0)
	hangup[(DIST)]        hangs up after a silence of DIST (default 0);
	                      nothing may follow it
	silent                (alone) says nothing at all

After its steps the caller is silent. The Record's timeout, a key of its
finishOnKey, maxLength or the hang-up ends the recording, whichever
comes first. For example:

	caller record=talk(20s,"please call me back")+press(#@1s)

A MESSAGE may instead be a choice drawn for each run, written
P:MESSAGE|P:MESSAGE..., whose probabilities sum to 1: 60% of callers
leave a message of 10 to 60 seconds, the others hang up after 3 s:

	caller record=0.6:talk(uniform(10s,60s))|0.4:hangup(3s)

A TEXT is a Go string in double quotes; it may not hold parentheses.

Worlds

A scenario may hold several calls on one virtual clock, a world: named
calls, random arrivals and agents, which share the queues of the
application. Each transcript line then names its call after the time,
and lines are in the order things happened: by time, then in the order
the clock ran them, the same on every run. A scenario whose one call
directive has no name= is a single call, printed as it always was.

	call name=NAME from=ADDR to=ADDR url=PATH [at=DUR] [method=POST|GET] [fallback=PATH]

A caller's call arriving at DUR (default 0) from the start of the world.
NAME (letters, digits, - and _) is unique in the world.

	caller NAME [press=KEYS[@DUR]]... [hangup=DUR] [patience=DIST] [talk=DIST]

What the caller of call NAME does, after its call line: press and hangup
as for a single call; patience: the caller hangs up once it has waited
DIST in a queue (drawn at each Enqueue; default: never); talk: the
caller hangs up DIST after a queue's bridge starts (default: the other
side ends it).

A caller directive without a name in a world (caller press=...
patience=exp(1m)) is the script of every caller without one of its own:
the call without name=, which a world names call, named calls without a
caller NAME, and arrivals, for what their directive does not set. A
patience= or talk= makes any scenario a world.

	arrivals n=N every=DIST from=ADDR to=ADDR url=PATH [name=PREFIX] [start=DUR] [patience=DIST] [talk=DIST] [press=KEYS[@DUR]]...

N callers, named PREFIX1 to PREFIXN (default caller1 ...): the first
arrives DIST after start (default 0), each next one DIST after the one
before, drawn from the seed; every=exp(36s) is a Poisson stream of 100
calls an hour. patience, talk and press are each caller's.

	agent name=NAME from=ADDR to=ADDR url=PATH [n=N] [at=DUR] [talk=DIST] [wrap=DIST]

N agents (NAME, or NAME1 to NAMEN), each placing its call at DUR
(default 0), then again wrap after each of its calls ends (default at
once; the calls are named NAME.2, NAME.3 ...), while a caller's call has
not ended; when the last one ends, every agent hangs up. talk: the agent
hangs up DIST after a queue's bridge starts, its service time. The
agent's document usually dials a queue:
<Dial><Queue>support</Queue></Dial>.

	at DUR create [name=NAME] from=ADDR to=ADDR url=PATH [method=POST|GET] [timeout=SECONDS] [senddigits=KEYS] [statuscallback=PATH] [statuscallbackevent=EVENT,...] [statuscallbackmethod=POST|GET] [machinedetection=Enable|DetectMessageEnd]
	at DUR redirect NAME url=PATH [method=POST|GET]
	at DUR hangup NAME [status=completed|canceled]
	at DUR dequeue QUEUE [call=NAME] url=PATH [method=POST|GET]
	at DUR endconference ROOM
	at DUR mute|unmute|hold|unhold NAME

Requests to the Calls resource at the instant DUR of the world, as a
REST client would make them. create places an outbound-api call (named
NAME, default api1, api2 ...) to the party at to= (a party directive
says how it answers; its press= are its keys in the call's Gathers, its
hangup= how long after answering it hangs up), which requests url with
Direction=outbound-api once answered; it rings timeout seconds (default
60) before it ends no-answer. EVENT is initiated, ringing, answered or
completed (completed alone by default). redirect runs url on the live
call NAME at once, cutting short what it was doing; hangup ends it
(status=canceled only ends a call still ringing or not yet placed);
dequeue takes call NAME (default: the first) out of QUEUE with
QueueResult=redirected and runs url on it; endconference ends the live
conference of ROOM; mute, unmute, hold and unhold change call NAME in its
conference. What each request answered is
an api line of the transcript.
`
