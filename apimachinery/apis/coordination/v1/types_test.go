package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*coordinationv1.Lease).DeepCopy),
		apitest.DeepCopyCase((*coordinationv1.LeaseSpec).DeepCopy),
		apitest.DeepCopyCase((*coordinationv1.LeaseList).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	apitest.CheckManifests[coordinationv1.Lease](t, filepath.Join("testdata", "lease.yaml"), "Lease", 2)
}

func TestLeaseWireFormat(t *testing.T) {
	id, seconds := "node-1", int32(40)
	renew := meta.NewMicroTime(time.Date(2026, 11, 22, 6, 0, 1, 123456789, time.UTC))
	tests := []struct {
		name  string
		lease coordinationv1.Lease
		want  string
	}{
		{
			name:  "empty spec writes only the object",
			lease: coordinationv1.Lease{ObjectMeta: meta.ObjectMeta{Name: "a"}},
			want:  `{"metadata":{"name":"a","creationTimestamp":null},"spec":{}}`,
		},
		{
			name: "renew time keeps microseconds and drops nanoseconds",
			lease: coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{
				HolderIdentity: &id, LeaseDurationSeconds: &seconds, RenewTime: &renew,
			}},
			want: `{"metadata":{"creationTimestamp":null},"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"2026-11-22T06:00:01.123456Z"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(&tt.lease)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestLeaseDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "renew time not a time", in: `{"spec":{"renewTime":"yesterday"}}`},
		{name: "duration not a number", in: `{"spec":{"leaseDurationSeconds":"40"}}`},
		{name: "duration overflows int32", in: `{"spec":{"leaseDurationSeconds":4294967296}}`},
		{name: "unknown field", in: `{"spec":{"holder":"x"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l coordinationv1.Lease
			if err := apitest.DecodeStrict([]byte(tt.in), &l); err == nil {
				t.Errorf("decoding %s succeeded, want an error", tt.in)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"x"},"spec":{"holderIdentity":"a","renewTime":"2026-01-02T03:04:05.999999999Z","leaseTransitions":2}}`))
	f.Add([]byte(`{"items":[{"spec":{"acquireTime":null}}],"metadata":{"resourceVersion":"9"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*coordinationv1.Lease).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*coordinationv1.LeaseList).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleLease() {
	holder, seconds := "controller-a", int32(15)
	lease := &coordinationv1.Lease{
		TypeMeta:   meta.TypeMeta{APIVersion: "coordination.k8s.io/v1", Kind: "Lease"},
		ObjectMeta: meta.ObjectMeta{Name: "controller", Namespace: "kube-system"},
		Spec:       coordinationv1.LeaseSpec{HolderIdentity: &holder, LeaseDurationSeconds: &seconds},
	}
	stale := lease.DeepCopy()
	*stale.Spec.HolderIdentity = "controller-b"
	out, _ := json.Marshal(lease)
	fmt.Println(string(out))
	fmt.Println(cmp.Equal(lease, stale))
	// Output:
	// {"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"controller","namespace":"kube-system","creationTimestamp":null},"spec":{"holderIdentity":"controller-a","leaseDurationSeconds":15}}
	// false
}
