package stats

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"
)

// The SVG's geometry, in pixels.
const (
	svgWidth, svgHeight = 860, 480
	plotLeft, plotRight = 80, 830  // x of the axes' ends
	plotTop, plotBottom = 110, 420 // y of the axes' ends
)

// WriteSVG draws r's histogram of time to connect as an SVG image: the
// bridged calls counted by time to connect, seconds along the bottom,
// calls up the side, dashed lines at the median, p90 and p99, and a
// title naming the scenario, the seed and the counts. The same report
// always gives the same bytes.
func (r *Report) WriteSVG(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n",
		svgWidth, svgHeight, svgWidth, svgHeight)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", svgWidth, svgHeight)
	fmt.Fprintf(&b, `<text x="%d" y="28" font-size="18" font-weight="bold">Time to connect: %s</text>`+"\n", plotLeft, escape(r.Scenario))
	fmt.Fprintf(&b, `<text x="%d" y="50" fill="#444">%d of %d calls bridged (first Dial), seed %d, %s, %s</text>`+"\n",
		plotLeft, r.Bridged, r.Calls, r.Seed, escape(r.Policy.String()), escape(r.runsText()))

	h := r.Histogram
	// The count axis: steps of 1, 2 or 5 times a power of ten, about five
	// of them, up to the first step at or above the highest bar.
	most := max(maxCount(h.Counts), 1)
	step := niceCeil((most + 4) / 5)
	top := (most + step - 1) / step * step
	width := time.Duration(h.Width)
	span := time.Duration(len(h.Counts)) * width // the x axis: 0 to span
	if span <= 0 {
		span = time.Second
	}
	x := func(t time.Duration) float64 {
		return plotLeft + float64(plotRight-plotLeft)*float64(t)/float64(span)
	}
	y := func(n int) float64 {
		return plotBottom - float64(plotBottom-plotTop)*float64(n)/float64(top)
	}

	// Grid and the count axis.
	for n := 0; n <= top; n += step {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", plotLeft, y(n), plotRight, y(n))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%d</text>`+"\n", plotLeft-6, y(n)+4, n)
	}

	// The bars.
	for i, n := range h.Counts {
		if n == 0 {
			continue
		}
		x0, x1 := x(time.Duration(i)*width), x(time.Duration(i+1)*width)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4c78a8"><title>%s–%s s: %d</title></rect>`+"\n",
			x0+0.5, y(n), max(x1-x0-1, 0.5), plotBottom-y(n), secs(time.Duration(i)*width), secs(time.Duration(i+1)*width), n)
	}
	if r.Bridged == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" fill="#444">no call was bridged</text>`+"\n",
			(plotLeft+plotRight)/2, (plotTop+plotBottom)/2)
	}

	// The time axis, in seconds.
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", plotLeft, plotBottom, plotRight, plotBottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", plotLeft, plotTop, plotLeft, plotBottom)
	tick := tickStep(span)
	for t := time.Duration(0); t <= span; t += tick {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"/>`+"\n", x(t), plotBottom, x(t), plotBottom+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x(t), plotBottom+20, secs(t))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">time to connect, from the start of the Dial (s); bins of %s s</text>`+"\n",
		(plotLeft+plotRight)/2, plotBottom+46, secs(width))
	fmt.Fprintf(&b, `<text transform="translate(24 %d) rotate(-90)" text-anchor="middle">calls</text>`+"\n", (plotTop+plotBottom)/2)

	// The percentiles.
	if r.Bridged > 0 {
		for i, p := range []struct {
			name string
			t    Seconds
		}{{"p50", r.Connect.P50}, {"p90", r.Connect.P90}, {"p99", r.Connect.P99}} {
			px := x(time.Duration(p.t))
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e45756" stroke-dasharray="5 4"/>`+"\n", px, 66+13*i, px, plotBottom)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#e45756" text-anchor="start">%s %s s</text>`+"\n", px+4, 76+13*i, p.name, secs(time.Duration(p.t)))
		}
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// runsText says which runs of the series the report holds.
func (r *Report) runsText() string {
	if r.Shards <= 1 {
		return fmt.Sprintf("%d runs", r.Runs)
	}
	return fmt.Sprintf("shards %v of %d of %d runs", r.Slices, r.Shards, r.Runs)
}

// secs formats d in seconds, as short as exact: "3", "2.5", "0.001".
func secs(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/1e9, 'f', -1, 64)
}

func escape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s)) // a bytes.Buffer does not fail
	return b.String()
}

func maxCount(counts []int) int {
	m := 0
	for _, n := range counts {
		m = max(m, n)
	}
	return m
}

// niceCeil returns the smallest of 1, 2, 5, 10, 20, 50, ... that is at
// least n.
func niceCeil(n int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
}

// tickStep returns the spacing of the time axis' labels: the smallest of
// 1, 2, 5, 10, 20, 50, ... milliseconds that labels span at most ten
// times.
func tickStep(span time.Duration) time.Duration {
	for i := 0; ; i++ {
		if w := niceWidth(i); span/w <= 10 {
			return w
		}
	}
}
