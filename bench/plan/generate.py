#!/usr/bin/env python3
"""A cluster dump for the plan benchmark: N StorageClasses of one CSI driver (GCP Hyperdisk), each with
the StorageProfile CDI creates, and only the driver's default VolumeSnapshotClass, so every class needs
the images class BootSource creates once and all of them share. Usage: generate.py N [kubectl] > cluster.yaml;
with kubectl, the List's keys come in the order kubectl get -o yaml prints them: items before kind."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
kubectl_order = len(sys.argv) > 2 and sys.argv[2] == "kubectl"
out = sys.stdout
out.write("apiVersion: v1\nitems:\n" if kubectl_order else "apiVersion: v1\nkind: List\nitems:\n")
out.write("""- apiVersion: snapshot.storage.k8s.io/v1
  kind: VolumeSnapshotClass
  metadata:
    name: csi-gce-pd-vsc
    annotations: {snapshot.storage.kubernetes.io/is-default-class: "true"}
  driver: pd.csi.storage.gke.io
  deletionPolicy: Delete
""")
for i in range(n):
    name = "hd-%05d" % i
    out.write(f"""- apiVersion: storage.k8s.io/v1
  kind: StorageClass
  metadata:
    name: {name}
  provisioner: pd.csi.storage.gke.io
  parameters:
    type: hyperdisk-balanced
    provisioned-iops-on-create: "{3000 + i}"
  reclaimPolicy: Delete
  volumeBindingMode: WaitForFirstConsumer
- apiVersion: cdi.kubevirt.io/v1beta1
  kind: StorageProfile
  metadata:
    name: {name}
  spec: {{}}
  status:
    provisioner: pd.csi.storage.gke.io
    storageClass: {name}
    claimPropertySets:
    - accessModes: [ReadWriteMany]
      volumeMode: Block
""")
if kubectl_order:
    out.write('kind: List\nmetadata:\n  resourceVersion: ""\n')
