package engine

// growStack makes room for stackNeed bytes of stack below its caller's
// frame. A call's goroutine starts with a small stack that the runtime
// doubles whenever a deeper path first runs, copying and adjusting every
// frame on it; a request to the application is the deepest path of most
// calls. Calling growStack before a request makes the runtime grow the
// stack once, early, to a size the request fits in (8 KiB when the caller
// is shallow), which costs less than growing it step by step when deep.
//
//go:noinline
func growStack() {
	var buf [stackNeed]byte
	touchStack(buf[:])
}

// stackNeed is about as much stack as a request to an in-process
// application uses, from call.document down.
const stackNeed = 4 << 10

//go:noinline
func touchStack(b []byte) { b[0] = 0 }
