package main

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func TestSeedIDsAreDistinctUUIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, id := range []string{seedUserID(0), seedUserID(1), seedSessionID(0), seedSessionID(999999), seedID(3, 0)} {
		if _, err := domain.ParseID(id); err != nil || seen[id] {
			t.Fatalf("id %q: %v (seen %v)", id, err, seen[id])
		}
		seen[id] = true
	}
}

func TestSeededSessionMintsAVerifiableRefreshToken(t *testing.T) {
	key, err := domain.NewRefreshKey([]byte("authd-load-refresh-secret-0123456789abcdefg"))
	if err != nil {
		t.Fatal(err)
	}
	p := bulkPlan{users: 10, now: time.Unix(1e9, 0).UTC()}
	s := p.seedSession(7)
	tok, err := domain.ParseRefreshToken(key.MintRefreshToken(s, 3))
	if err != nil || !key.Verify(tok, s) || tok.Generation != 3 || tok.SessionID != seedSessionID(7) {
		t.Fatalf("token %+v, err %v", tok, err)
	}
	if row := p.sessionRow(7); !bytes.Equal(row[3].([]byte), s.Salt()) || row[0] != s.ID() {
		t.Fatal("the stored row and the minted session disagree")
	}
}

func TestEndedSessionRowsBelongToSeededUsers(t *testing.T) {
	p := bulkPlan{users: 10, ended: 25, now: time.Unix(1e9, 0).UTC()}
	row := p.sessionRow(23)
	if row[1] != seedUserID(3) || row[7] == nil || !row[6].(time.Time).Before(p.now) {
		t.Fatalf("ended session row %v", row)
	}
	if len(row) != len(sessionColumns) || len(p.userRow(0)) != len(userColumns) || len(p.tokenRow(0)) != len(tokenColumns) {
		t.Fatal("row and column counts differ")
	}
}

func TestInsertSQLHasOnePlaceholderPerValue(t *testing.T) {
	q := insertSQL("t", []string{"a", "b"}, 3)
	if q != "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)" {
		t.Fatalf("insertSQL = %q", q)
	}
}

func TestStrideVisitsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{1, 2, 7919, 7920, 10000} {
		w, seen := newStride(n), make([]bool, n)
		for k := range n {
			i := w.at(k)
			if seen[i] {
				t.Fatalf("n=%d: index %d twice", n, i)
			}
			seen[i] = true
		}
	}
}

func TestScaleRatioIsLargestOverSmallest(t *testing.T) {
	r := &Report{Results: []Result{{Name: "me", Users: 1000000, RPS: 90}, {Name: "me", Users: 10000, RPS: 100},
		{Name: "me", Users: 100000, RPS: 95}, {Name: "refresh", Users: 10000, RPS: 10}}}
	var out strings.Builder
	r.printScale(&out)
	if out.String() != "scale ratio me=0.900\n" {
		t.Fatalf("got %q", out.String())
	}
}

func TestSumMetricAddsEverySeries(t *testing.T) {
	text := "# HELP authd_janitor_purged_total x\nauthd_janitor_purged_total{table=\"sessions\"} 3000\n" +
		"authd_janitor_purged_total{table=\"one_time_tokens\"} 12\nauthd_janitor_purged_totalx 5\n"
	if got := sumMetric(bufio.NewScanner(strings.NewReader(text)), "authd_janitor_purged_total"); got != 3012 {
		t.Fatalf("sum = %d", got)
	}
}

func TestChartIsWellFormedSVG(t *testing.T) {
	r := &Report{Backend: "postgres", Results: []Result{
		{Name: "refresh", Users: 10000, RPS: 100}, {Name: "refresh", Users: 1000000, RPS: 90},
		{Name: "overload-login", Concurrency: 1, RPS: 2, P99ms: 400}, {Name: "overload-login", Concurrency: 4, RPS: 3, P99ms: 1500},
	}}
	panels := r.chartPanels()
	if len(panels) != 3 {
		t.Fatalf("%d panels, want scale, overload req/s and p99", len(panels))
	}
	var b bytes.Buffer
	renderSVG(&b, "t", panels)
	dec := xml.NewDecoder(&b)
	lines := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polyline" {
			lines++
		}
	}
	if lines != 3 {
		t.Fatalf("%d polylines, want 3", lines)
	}
}
