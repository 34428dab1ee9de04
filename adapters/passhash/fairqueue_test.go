package passhash

import "testing"

func jobOf(key string) *job { return &job{key: key} }

// TestFairQueueRules: the admission and eviction rules on the bare queue.
func TestFairQueueRules(t *testing.T) {
	q := newFairQueue(2)
	x, y := jobOf("x"), jobOf("y")
	for _, j := range []*job{x, y} {
		if ev, ok := q.push(j); !ok || ev != nil {
			t.Fatalf("push %s into room: ok %v evicted %v", j.key, ok, ev)
		}
	}
	if ev, ok := q.push(jobOf("z")); ok || ev != nil {
		t.Fatal("equal shares: a full queue must refuse a third key, not displace one")
	}
	if ev, ok := q.push(jobOf("x")); ok || ev != nil {
		t.Fatal("a full queue must refuse a key that already holds the most")
	}
	if !q.remove(y) || q.remove(y) || q.size != 1 {
		t.Fatalf("remove: size %d", q.size)
	}
	x2 := jobOf("x")
	if _, ok := q.push(x2); !ok {
		t.Fatal("x's second job should fit")
	}
	z := jobOf("z")
	ev, ok := q.push(z)
	if !ok || ev != x2 {
		t.Fatalf("x holds 2, z 0: z must displace x's newest job; ok %v evicted %v", ok, ev)
	}
	if a, b, c := q.pop(), q.pop(), q.pop(); a != x || b != z || c != nil || q.size != 0 || len(q.flows) != 0 {
		t.Fatalf("pop order %v %v %v, size %d, flows %d", a, b, c, q.size, len(q.flows))
	}
}
