package scenarios

import "github.com/dialsim/dialsim/internal/suggest"

// The words of the scenario language, from which an unknown one is
// corrected. Each list is every key its parser's switch accepts (see
// scenario.go, world.go, record.go, speech.go): a key added there is
// added here.
var (
	directives = []string{"call", "caller", "party", "policy", "token", "app", "seed", "arrivals", "agent", "at"}
	callArgs   = []string{"from", "to", "url", "method", "fallback", "sid"}
	// worldCallArgs are a world's call's: callArgs but sid=, and name=, at=.
	worldCallArgs    = []string{"from", "to", "url", "method", "fallback", "name", "at"}
	callerBehaviours = []string{"press", "say", "record", "hangup", "patience", "talk"}
	// worldCallerBehaviours are a world's caller's.
	worldCallerBehaviours = []string{"press", "hangup", "patience", "talk"}
	arrivalsArgs          = []string{"from", "to", "url", "method", "fallback", "name", "n", "every", "start", "patience", "talk", "press"}
	agentArgs             = []string{"from", "to", "url", "method", "fallback", "name", "n", "at", "talk", "wrap"}
	partyBehaviours       = []string{"answer", "busy", "fail", "reject", "noanswer", "talk", "press", "say", "hangup", "voicemail", "greeting", "silent"}
)

// didYouMean returns `; did you mean "W"?` for the word of known nearest
// to word, if it is near enough to be a slip, and "" otherwise.
func didYouMean(word string, known []string) string {
	return suggest.DidYouMean(word, known)
}
