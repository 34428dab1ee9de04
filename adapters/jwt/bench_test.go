package jwt

import (
	"testing"
	"time"
)

func BenchmarkIssue(b *testing.B) {
	for _, alg := range algs {
		b.Run(alg, func(b *testing.B) {
			f := newFixture(b, alg)
			c := sampleClaims()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.tok.Issue(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, alg := range algs {
		b.Run(alg, func(b *testing.B) {
			f := newFixture(b, alg)
			token, _ := f.tok.Issue(sampleClaims())
			now := t0.Add(time.Minute)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.tok.Verify(token, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerifyParallel(b *testing.B) {
	f := newFixture(b, HS256)
	token, _ := f.tok.Issue(sampleClaims())
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.tok.Verify(token, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
