package detect

import (
	"reflect"
	"testing"
	"time"
)

// stateBytes is the memory one series costs: the detector struct plus the
// capacity of every float64 slice it holds (found by reflection, one level
// of embedded structs deep, which is all these detectors use).
func stateBytes(d Detector) uintptr {
	v := reflect.ValueOf(d).Elem()
	return v.Type().Size() + sliceBytes(v)
}

func sliceBytes(v reflect.Value) uintptr {
	var n uintptr
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			n += uintptr(f.Cap()) * f.Type().Elem().Size()
		case reflect.Struct:
			n += sliceBytes(f)
		case reflect.Array:
			if f.Type().Elem().Kind() == reflect.Struct {
				for j := range f.Len() {
					n += sliceBytes(f.Index(j))
				}
			}
		}
	}
	return n
}

// TestStateBound keeps every default detector, the ensemble included,
// within the 4 KiB of state per series.
func TestStateBound(t *testing.T) {
	for _, f := range Catalog() {
		if got := stateBytes(f.New()); got > 4096 {
			t.Errorf("%s state %d bytes, want <= 4096", f.Name, got)
		}
	}
}

func benchDetector(b *testing.B, d Detector) {
	vs := stream(5, 4096, 20, 1)
	ts := make([]time.Time, len(vs))
	for i := range ts {
		ts[i] = t0.Add(time.Duration(i) * step)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := i % len(vs)
		if k == 0 && i > 0 {
			d.Reset()
		}
		d.ObserveAt(ts[k], vs[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(float64(stateBytes(d)), "state-bytes")
}

func BenchmarkEnsemble(b *testing.B)   { benchDetector(b, NewEnsemble()) }
func BenchmarkEWMA(b *testing.B)       { benchDetector(b, fresh("ewma")) }
func BenchmarkMAD(b *testing.B)        { benchDetector(b, fresh("mad")) }
func BenchmarkLevelShift(b *testing.B) { benchDetector(b, fresh("levelshift")) }
func BenchmarkSeasonal(b *testing.B)   { benchDetector(b, fresh("seasonal")) }
func BenchmarkSPOT(b *testing.B)       { benchDetector(b, fresh("spot")) }
