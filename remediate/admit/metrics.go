package admit

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// rejectionObserver reports one reason's cumulative count.
type rejectionObserver func(reason string, n uint64)

// registerRejections registers load_shedding.rejections for one shedder
// (Shedder or Limiter); observe reports each reason it sheds for.
// extra instruments and their observation are registered in the same
// callback.
func registerRejections(mp metric.MeterProvider, name string, observe func(rejectionObserver), extra ...func(metric.Meter) (func(metric.Observer), metric.Observable, error)) (metric.Registration, error) {
	meter := mp.Meter(meterName)
	rejections, err := meter.Int64ObservableCounter("load_shedding.rejections",
		metric.WithDescription("Requests rejected by load shedding, by reason."))
	if err != nil {
		return nil, fmt.Errorf("admit: load_shedding.rejections: %w", err)
	}
	nameAttr := attribute.String("load_shedding.name", name)
	opts := map[string]metric.ObserveOption{}
	for _, r := range []string{"rate", "concurrency", "priority"} {
		opts[r] = metric.WithAttributes(nameAttr, attribute.String("load_shedding.reason", r))
	}
	instruments := []metric.Observable{rejections}
	var observers []func(metric.Observer)
	for _, x := range extra {
		obs, inst, err := x(meter)
		if err != nil {
			return nil, err
		}
		observers = append(observers, obs)
		instruments = append(instruments, inst)
	}
	reg, err := meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		observe(func(reason string, n uint64) { o.ObserveInt64(rejections, int64(n), opts[reason]) })
		for _, obs := range observers {
			obs(o)
		}
		return nil
	}, instruments...)
	if err != nil {
		return nil, fmt.Errorf("admit: register load shedding callback: %w", err)
	}
	return reg, nil
}
