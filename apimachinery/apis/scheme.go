package apis

import (
	"fmt"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	autoscalingv2 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v2"
	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	discoveryv1 "github.com/cellkit/cellkit/apimachinery/apis/discovery/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	schedulingv1 "github.com/cellkit/cellkit/apimachinery/apis/scheduling/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// AddToScheme registers every built-in group version in s and sets Kubernetes' version
// priorities (autoscaling/v2 before autoscaling/v1, so "hpa" resolves to v2). Calling it again
// on the same scheme is a no-op.
func AddToScheme(s *runtime.Scheme) error {
	if s == nil {
		return fmt.Errorf("apis: add to scheme: scheme is nil")
	}
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme,
		appsv1.AddToScheme,
		batchv1.AddToScheme,
		coordinationv1.AddToScheme,
		schedulingv1.AddToScheme,
		policyv1.AddToScheme,
		autoscalingv2.AddToScheme,
		autoscalingv1.AddToScheme,
		rbacv1.AddToScheme,
		discoveryv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			return fmt.Errorf("apis: add to scheme: %w", err)
		}
	}
	if err := s.SetVersionPriority(autoscalingv2.SchemeGroupVersion(), autoscalingv1.SchemeGroupVersion()); err != nil {
		return fmt.Errorf("apis: add to scheme: %w", err)
	}
	return nil
}

// AddDefaults registers the defaulting functions of every built-in group version in s, the
// defaults kube-apiserver applies to what it decodes (a Deployment's replicas, a pod's
// restartPolicy, ...); they run on Scheme.Default and on decoding through a codec with
// CodecOptions.Default. Call it once per scheme: a second call registers every function again,
// which is harmless (defaulting is idempotent) but does the work twice.
func AddDefaults(s *runtime.Scheme) error {
	if s == nil {
		return fmt.Errorf("apis: add defaults: scheme is nil")
	}
	for _, add := range []func(*runtime.Scheme) error{
		corev1.RegisterDefaults,
		appsv1.RegisterDefaults,
		batchv1.RegisterDefaults,
		coordinationv1.RegisterDefaults,
		schedulingv1.RegisterDefaults,
		policyv1.RegisterDefaults,
		autoscalingv2.RegisterDefaults,
		autoscalingv1.RegisterDefaults,
		rbacv1.RegisterDefaults,
		discoveryv1.RegisterDefaults,
	} {
		if err := add(s); err != nil {
			return fmt.Errorf("apis: add defaults: %w", err)
		}
	}
	return nil
}

// NewScheme returns a new scheme holding every built-in group version (see AddToScheme) and
// their defaulting functions (see AddDefaults).
func NewScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := AddToScheme(s); err != nil {
		return nil, err
	}
	if err := AddDefaults(s); err != nil {
		return nil, err
	}
	return s, nil
}

// Codecs are a JSON and a YAML codec with the same options over one scheme.
type Codecs struct {
	// Scheme is the scheme both codecs use.
	Scheme *runtime.Scheme
	// JSON and YAML are the codecs of each format.
	JSON, YAML *runtime.Codec
}

// NewCodecs returns codecs with opts over a new scheme from NewScheme.
func NewCodecs(opts runtime.CodecOptions) (*Codecs, error) {
	s, err := NewScheme()
	if err != nil {
		return nil, err
	}
	return NewCodecsFor(s, opts)
}

// NewCodecsFor returns codecs with opts over s, which may hold more than the built-in kinds.
func NewCodecsFor(s *runtime.Scheme, opts runtime.CodecOptions) (*Codecs, error) {
	j, err := runtime.NewJSONCodec(s, opts)
	if err != nil {
		return nil, fmt.Errorf("apis: new codecs: %w", err)
	}
	y, err := runtime.NewYAMLCodec(s, opts)
	if err != nil {
		return nil, fmt.Errorf("apis: new codecs: %w", err)
	}
	return &Codecs{Scheme: s, JSON: j, YAML: y}, nil
}

// For returns the codec of format f.
func (c *Codecs) For(f runtime.Format) (*runtime.Codec, error) {
	switch f {
	case runtime.JSON:
		return c.JSON, nil
	case runtime.YAML:
		return c.YAML, nil
	}
	return nil, fmt.Errorf("apis: codec for %v: unknown format", f)
}
