#!/usr/bin/env python3
"""A cluster dump for the plan benchmark: N StorageClasses of one CSI driver (GCP Hyperdisk), each with
the StorageProfile CDI creates, and only the driver's default VolumeSnapshotClass, so every class needs
the images class BootSource creates once and all of them share. Usage: generate.py N > cluster.yaml"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = sys.stdout
out.write("apiVersion: v1\nkind: List\nitems:\n")
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
