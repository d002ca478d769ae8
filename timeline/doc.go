// Package timeline draws a simulated call over time: New reads a
// transcript (the events of an engine.Result) into a Timeline, one Lane
// for the caller's call and one for each Dial leg, each a sequence of
// states (ringing, answered, screening, bridged) and how it ended; the
// Timeline writes itself as fixed-width text (WriteText, for "dialsim run
// --timeline") or as an SVG picture (WriteSVG, for "dialsim run --svg").
// The same transcript always gives the same bytes.
package timeline
