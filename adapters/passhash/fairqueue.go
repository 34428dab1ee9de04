package passhash

import (
	"container/list"
	"slices"
)

// flow is the jobs of one fairness key, oldest first.
type flow struct {
	key  string
	jobs []*job
}

// fairQueue holds at most limit jobs in one FIFO per fairness key and
// serves the keys round robin, so a key with many jobs waiting delays a
// key with one by at most one job per other waiting key. It is not safe
// for concurrent use: the pool guards it with its mutex.
type fairQueue struct {
	limit int
	size  int
	flows map[string]*list.Element // of *flow, by key
	ring  list.List                // of *flow; the front is served next
}

func newFairQueue(limit int) *fairQueue {
	return &fairQueue{limit: limit, flows: make(map[string]*list.Element)}
}

// push queues j behind the other jobs of its key. A full queue refuses j
// (ok false) unless another key holds at least two more jobs than j's: the
// newest job of the key holding the most is then dropped to make room and
// returned as evicted, so one key filling the queue cannot lock out the
// rest while keys with equal shares never displace each other.
func (q *fairQueue) push(j *job) (evicted *job, ok bool) {
	if q.size >= q.limit {
		fat := q.fattest()
		if fat == nil || len(fat.jobs) < q.queued(j.key)+2 {
			return nil, false
		}
		evicted = fat.jobs[len(fat.jobs)-1]
		q.remove(evicted)
	}
	e, found := q.flows[j.key]
	if !found {
		e = q.ring.PushBack(&flow{key: j.key})
		q.flows[j.key] = e
	}
	f := e.Value.(*flow)
	f.jobs = append(f.jobs, j)
	q.size++
	return evicted, true
}

// pop takes the oldest job of the key whose turn it is and moves that key
// to the back of the ring; nil when nothing is queued.
func (q *fairQueue) pop() *job {
	e := q.ring.Front()
	if e == nil {
		return nil
	}
	f := e.Value.(*flow)
	j := f.jobs[0]
	f.jobs[0] = nil // the slice's array outlives the job; do not keep the job (and its password) reachable
	f.jobs = f.jobs[1:]
	q.size--
	if len(f.jobs) == 0 {
		q.drop(e)
	} else {
		q.ring.MoveToBack(e)
	}
	return j
}

// remove takes j out of the queue, wherever it waits; false if it is not queued.
func (q *fairQueue) remove(j *job) bool {
	e, found := q.flows[j.key]
	if !found {
		return false
	}
	f := e.Value.(*flow)
	i := slices.Index(f.jobs, j)
	if i < 0 {
		return false
	}
	f.jobs = slices.Delete(f.jobs, i, i+1)
	q.size--
	if len(f.jobs) == 0 {
		q.drop(e)
	}
	return true
}

// queued is how many jobs key has waiting.
func (q *fairQueue) queued(key string) int {
	if e, found := q.flows[key]; found {
		return len(e.Value.(*flow).jobs)
	}
	return 0
}

// fattest is the flow with the most jobs waiting; nil when none waits.
func (q *fairQueue) fattest() *flow {
	var fat *flow
	for e := q.ring.Front(); e != nil; e = e.Next() {
		if f := e.Value.(*flow); fat == nil || len(f.jobs) > len(fat.jobs) {
			fat = f
		}
	}
	return fat
}

func (q *fairQueue) drop(e *list.Element) {
	delete(q.flows, e.Value.(*flow).key)
	q.ring.Remove(e)
}
