package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// series is one line of a panel: points in x order.
type series struct {
	name string
	x, y []float64
}

// panel is one chart: both axes logarithmic when asked.
type panel struct {
	title, xLabel, yLabel string
	logY                  bool
	lines                 []series
}

const (
	panelW, panelH = 460, 260
	padL, padR     = 60, 110
	padT, padB     = 30, 40
)

var lineColors = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"}

// writeChart writes the report's curves as an SVG file: throughput against
// database size (relative to the smallest), and throughput and p99 against
// concurrency. Panels without data are left out.
func writeChart(path string, r *Report) error {
	panels := r.chartPanels()
	if len(panels) == 0 {
		return fmt.Errorf("chart: no -scale or -overload results to draw")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	renderSVG(f, fmt.Sprintf("authd-load, %s, %d cores, %s", r.Backend, r.Cores, r.Date), panels)
	return f.Close()
}

func (r *Report) chartPanels() []panel {
	var out []panel
	scale := panel{title: "req/s relative to the smallest database", xLabel: "users (log)", yLabel: "ratio"}
	for _, name := range scaleScenarios {
		var s series
		s.name = name
		for _, x := range r.Results {
			if x.Name == name {
				s.x, s.y = append(s.x, float64(x.Users)), append(s.y, x.RPS)
			}
		}
		if len(s.x) > 1 {
			base := s.y[0]
			for i := range s.y {
				s.y[i] /= base
			}
			scale.lines = append(scale.lines, s)
		}
	}
	if len(scale.lines) > 0 {
		out = append(out, scale)
	}
	rps := panel{title: "req/s relative to the peak, by concurrency", xLabel: "concurrency (log)", yLabel: "ratio"}
	p99 := panel{title: "p99 latency by concurrency", xLabel: "concurrency (log)", yLabel: "ms (log)", logY: true}
	for _, name := range []string{"overload-login", "overload-refresh"} {
		t, l := series{name: strings.TrimPrefix(name, "overload-")}, series{name: strings.TrimPrefix(name, "overload-")}
		for _, x := range r.Results {
			if x.Name == name {
				t.x, t.y = append(t.x, float64(x.Concurrency)), append(t.y, x.RPS)
				l.x, l.y = append(l.x, float64(x.Concurrency)), append(l.y, x.P99ms)
			}
		}
		if len(t.x) > 1 {
			peak := slices.Max(t.y)
			for i := range t.y {
				t.y[i] /= peak
			}
			rps.lines, p99.lines = append(rps.lines, t), append(p99.lines, l)
		}
	}
	if len(rps.lines) > 0 {
		out = append(out, rps, p99)
	}
	return out
}

// renderSVG draws panels stacked vertically under title.
func renderSVG(w io.Writer, title string, panels []panel) {
	h := 30 + len(panels)*(panelH+padT+padB)
	width := panelW + padL + padR
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, h)
	fmt.Fprintf(w, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, h)
	fmt.Fprintf(w, `<text x="10" y="18" font-size="13">%s</text>`+"\n", html.EscapeString(title))
	for i, p := range panels {
		renderPanel(w, p, 30+i*(panelH+padT+padB))
	}
	fmt.Fprintln(w, "</svg>")
}

func renderPanel(w io.Writer, p panel, top int) {
	x0, y0 := float64(padL), float64(top+padT)
	var xs, ys []float64
	for _, s := range p.lines {
		xs, ys = append(xs, s.x...), append(ys, s.y...)
	}
	xmin, xmax := math.Log10(slices.Min(xs)), math.Log10(slices.Max(xs))
	ymin, ymax := 0.0, slices.Max(ys)*1.1
	fy := func(v float64) float64 { return v }
	if p.logY {
		fy = math.Log10
		ymin, ymax = math.Floor(math.Log10(slices.Min(ys))), math.Ceil(math.Log10(slices.Max(ys)))
	}
	if xmax == xmin {
		xmax = xmin + 1
	}
	if ymax == ymin {
		ymax = ymin + 1
	}
	px := func(v float64) float64 { return x0 + (math.Log10(v)-xmin)/(xmax-xmin)*panelW }
	py := func(v float64) float64 { return y0 + panelH - (fy(v)-ymin)/(ymax-ymin)*panelH }
	fmt.Fprintf(w, `<text x="%.0f" y="%.0f" font-size="12">%s</text>`+"\n", x0, y0-10, html.EscapeString(p.title))
	fmt.Fprintf(w, `<rect x="%.0f" y="%.0f" width="%d" height="%d" fill="none" stroke="#999"/>`+"\n", x0, y0, panelW, panelH)
	for _, v := range uniq(xs) {
		fmt.Fprintf(w, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`+"\n", px(v), y0+panelH+14, short(v))
	}
	for _, t := range yTicks(ymin, ymax, p.logY) {
		y := py(t)
		fmt.Fprintf(w, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#eee"/>`+"\n", x0, x0+panelW, y, y)
		fmt.Fprintf(w, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", x0-4, y+4, short(t))
	}
	fmt.Fprintf(w, `<text x="%.0f" y="%.0f" text-anchor="middle">%s</text>`+"\n", x0+panelW/2, y0+panelH+30, p.xLabel)
	fmt.Fprintf(w, `<text x="12" y="%.0f" transform="rotate(-90 12 %.0f)" text-anchor="middle">%s</text>`+"\n",
		y0+panelH/2, y0+panelH/2, p.yLabel)
	for i, s := range p.lines {
		c := lineColors[i%len(lineColors)]
		var pts []string
		for j := range s.x {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.x[j]), py(s.y[j])))
			fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(s.x[j]), py(s.y[j]), c)
		}
		fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), c)
		fmt.Fprintf(w, `<text x="%.0f" y="%.0f" fill="%s">%s</text>`+"\n", x0+panelW+8, y0+14+float64(i)*16, c,
			html.EscapeString(s.name))
	}
}

// yTicks are about five round values in [lo, hi]; on a log axis, powers of ten.
func yTicks(lo, hi float64, logY bool) []float64 {
	var out []float64
	if logY {
		for e := lo; e <= hi; e++ {
			out = append(out, math.Pow(10, e))
		}
		return out
	}
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	for _, m := range []float64{1, 2, 5} {
		if (hi-lo)/(step*m) <= 6 {
			step *= m
			break
		}
	}
	for v := lo; v <= hi; v += step {
		out = append(out, v)
	}
	return out
}

func uniq(v []float64) []float64 {
	out := slices.Clone(v)
	slices.Sort(out)
	return slices.Compact(out)
}

// short prints 1000000 as 1M, 10000 as 10k, 0.25 as 0.25.
func short(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%gk", v/1e3)
	default:
		return fmt.Sprintf("%g", math.Round(v*100)/100)
	}
}
