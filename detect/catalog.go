package detect

// Factory names a detector and builds a fresh one with its default
// configuration. The benchmark runner and the Monitor use it to give every
// stream its own state. The zero value is not usable (New is nil); a
// Factory from [Catalog] is safe for concurrent use, each call of New
// returning an independent detector.
type Factory struct {
	// Name is the detector's Name().
	Name string
	// New returns a fresh detector with the default configuration.
	New func() Detector
}

// Catalog lists every detector in this package with its default
// configuration, the default ensemble first. It returns a new slice on
// every call.
func Catalog() []Factory {
	return []Factory{
		{"ensemble", func() Detector { return NewEnsemble() }},
		{"ewma", func() Detector { return must(NewEWMA(EWMAConfig{})) }},
		{"mad", func() Detector { return must(NewMAD(MADConfig{})) }},
		{"levelshift", func() Detector { return must(NewLevelShift(LevelShiftConfig{})) }},
		{"seasonal", func() Detector { return must(NewSeasonal(SeasonalConfig{})) }},
		{"spot", func() Detector { return must(NewSPOT(SPOTConfig{})) }},
	}
}

// must unwraps a constructor called with a configuration known to be valid.
func must[D Detector](d D, err error) Detector {
	if err != nil {
		panic(err) // unreachable: defaults are valid
	}
	return d
}
