package plugins

import (
	"fmt"

	"github.com/cellkit/cellkit/scheduler/framework"
)

// DefaultSchedulerName is the schedulerName of the default profile.
const DefaultSchedulerName = "default-scheduler"

// RegistryOptions provide what in-tree plugins need from outside the core.
type RegistryOptions struct {
	// Binder is used by DefaultBinder; required if a profile enables it.
	Binder Binder
}

// NewRegistry returns the in-tree plugins' factories.
func NewRegistry(opts RegistryOptions) framework.Registry {
	return framework.Registry{
		NamePrioritySort:      noArgs(func(framework.Handle) framework.Plugin { return PrioritySort{} }),
		NameSchedulingGates:   noArgs(func(framework.Handle) framework.Plugin { return SchedulingGates{} }),
		NameNodeName:          noArgs(func(framework.Handle) framework.Plugin { return NodeName{} }),
		NameNodeUnschedulable: noArgs(func(framework.Handle) framework.Plugin { return NodeUnschedulable{} }),
		NameNodePorts:         noArgs(func(framework.Handle) framework.Plugin { return NodePorts{} }),
		NameNodeAffinity:      noArgs(func(framework.Handle) framework.Plugin { return NodeAffinity{} }),
		NameTaintToleration:   noArgs(func(framework.Handle) framework.Plugin { return TaintToleration{} }),
		NameImageLocality:     noArgs(func(h framework.Handle) framework.Plugin { return &ImageLocality{h: h} }),
		NameDefaultPreemption: withArgs(func(a *DefaultPreemptionArgs, h framework.Handle) (framework.Plugin, error) {
			return NewDefaultPreemption(a, h)
		}),
		NameNodeResourcesFit: withArgs(func(a *NodeResourcesFitArgs, h framework.Handle) (framework.Plugin, error) {
			p, err := NewNodeResourcesFit(a)
			if err != nil {
				return nil, err
			}
			p.h = h
			return p, nil
		}),
		NameNodeResourcesBalancedAllocation: withArgs(func(a *NodeResourcesBalancedAllocationArgs, _ framework.Handle) (framework.Plugin, error) {
			return NewNodeResourcesBalancedAllocation(a)
		}),
		NamePodTopologySpread: withArgs(func(a *PodTopologySpreadArgs, h framework.Handle) (framework.Plugin, error) {
			return NewPodTopologySpread(a, h)
		}),
		NameInterPodAffinity: withArgs(func(a *InterPodAffinityArgs, h framework.Handle) (framework.Plugin, error) {
			return NewInterPodAffinity(a, h)
		}),
		NameDefaultBinder: func(args any, _ framework.Handle) (framework.Plugin, error) {
			if args != nil {
				return nil, fmt.Errorf("%s takes no arguments, got %T: %w", NameDefaultBinder, args, ErrInvalidArgs)
			}
			if opts.Binder == nil {
				return nil, fmt.Errorf("%s needs RegistryOptions.Binder: %w", NameDefaultBinder, ErrInvalidArgs)
			}
			return &DefaultBinder{b: opts.Binder}, nil
		},
	}
}

func noArgs(build func(framework.Handle) framework.Plugin) framework.Factory {
	return func(args any, h framework.Handle) (framework.Plugin, error) {
		pl := build(h)
		if args != nil {
			return nil, fmt.Errorf("%s takes no arguments, got %T: %w", pl.Name(), args, ErrInvalidArgs)
		}
		return pl, nil
	}
}

func withArgs[A any](build func(*A, framework.Handle) (framework.Plugin, error)) framework.Factory {
	return func(args any, h framework.Handle) (framework.Plugin, error) {
		if args == nil {
			return build(nil, h)
		}
		a, ok := args.(*A)
		if !ok {
			var want *A
			return nil, fmt.Errorf("arguments of type %T, want %T: %w", args, want, ErrInvalidArgs)
		}
		return build(a, h)
	}
}

// DefaultProfile is kube-scheduler's default profile, without the volume plugins (cellkit has
// no volume binding): the same plugins in the same order with the same score weights
// (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2,
// NodeResourcesFit 1, NodeResourcesBalancedAllocation 1, ImageLocality 1).
func DefaultProfile() framework.Profile {
	return framework.Profile{
		SchedulerName: DefaultSchedulerName,
		Plugins: []framework.PluginConfig{
			{Name: NameSchedulingGates},
			{Name: NamePrioritySort},
			{Name: NameNodeUnschedulable},
			{Name: NameNodeName},
			{Name: NameTaintToleration, Weight: 3},
			{Name: NameNodeAffinity, Weight: 2},
			{Name: NameNodePorts},
			{Name: NameNodeResourcesFit, Weight: 1},
			{Name: NamePodTopologySpread, Weight: 2},
			{Name: NameInterPodAffinity, Weight: 2},
			{Name: NameDefaultPreemption},
			{Name: NameNodeResourcesBalancedAllocation, Weight: 1},
			{Name: NameImageLocality, Weight: 1},
			{Name: NameDefaultBinder},
		},
	}
}

// WithArgs returns a copy of p with args set on the named plugin; ok is false if p does not
// enable it.
func WithArgs(p framework.Profile, name string, args any) (framework.Profile, bool) {
	out := p
	out.Plugins = append([]framework.PluginConfig(nil), p.Plugins...)
	for i := range out.Plugins {
		if out.Plugins[i].Name == name {
			out.Plugins[i].Args = args
			return out, true
		}
	}
	return out, false
}
