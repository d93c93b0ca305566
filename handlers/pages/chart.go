package pages

import "unicode/utf8"

// A bar chart is drawn as inline SVG, without script: one horizontal bar
// per row of the table it stands beside, its label on the left and its
// value on the right. The stylesheet colours it (classes, not inline
// styles: the pages' Content-Security-Policy allows no inline style);
// its title and description name it for screen readers, and the table
// beside it carries the same numbers.

// The geometry of a chart, in the units of its viewBox.
const (
	chartWidth    = 720
	chartLabelEnd = 200 // labels end here, right-aligned
	chartBarStart = 210
	chartBarMax   = 300 // the longest bar
	chartRow      = 32  // the height of a row
	chartBarHigh  = 20  // the height of a bar
	chartLabelLen = 28  // characters of a label shown
)

// chartBar is one bar before it is drawn: its label, its value and how
// the value reads.
type chartBar struct {
	Label, Text string
	Value       float64
}

// drawnBar is a bar with its place in the chart.
type drawnBar struct {
	Label, Text            string
	Y, TextY, Width, TextX int
}

// barChart is an SVG bar chart: its id (for its title's and
// description's ids), its title, a description that reads its values
// out, its height and bars.
type barChart struct {
	ID, Title, Desc string
	Width, Height   int
	LabelEnd        int
	BarStart        int
	BarHigh         int
	Bars            []drawnBar
}

// newBarChart lays out bars, each as long as its value is to the
// largest (at least a sliver when it is not zero).
func newBarChart(id, title string, bars []chartBar) barChart {
	c := barChart{ID: id, Title: title, Width: chartWidth, Height: max(len(bars), 1) * chartRow, LabelEnd: chartLabelEnd, BarStart: chartBarStart,
		BarHigh: chartBarHigh}
	var top float64
	for _, b := range bars {
		top = max(top, b.Value)
	}
	c.Desc = "Bar chart."
	for i, b := range bars {
		w := 0
		if top > 0 {
			w = int(b.Value / top * chartBarMax)
		}
		if w == 0 && b.Value > 0 {
			w = 1
		}
		y := i*chartRow + (chartRow-chartBarHigh)/2
		c.Bars = append(c.Bars, drawnBar{Label: shorten(b.Label, chartLabelLen), Text: b.Text,
			Y: y, TextY: y + chartBarHigh - 5, Width: w, TextX: chartBarStart + w + 8})
		c.Desc += " " + b.Label + ": " + b.Text + "."
	}
	return c
}

// shorten is s cut to n characters, with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
