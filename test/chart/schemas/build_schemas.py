"""Builds kubeconform's offline schema store.

Kubernetes kinds: kubernetes-validate's bundled strict schemas (additionalProperties: false), made
standalone by inlining the definitions each kind reaches. Custom resources: openAPIV3Schema of the
CRD files given on the command line, made strict the way kubeconform's openapi2jsonschema does.
Files are named <kind><kindSuffix>.json, kubeconform's "{{ .ResourceKind }}{{ .KindSuffix }}".

  build_schemas.py K8S_VERSION OUT_DIR [CRD.yaml ...]
"""
import json
import os
import re
import sys

import yaml
import kubernetes_validate

REF = re.compile(r"^(?:/api/_definitions\.json)?#/\$defs/(.+)$")


def reachable(node, defs, seen):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            match = REF.match(ref)
            if not match:
                raise ValueError(f"unexpected $ref {ref}")
            name = match.group(1)
            node["$ref"] = f"#/$defs/{name}"
            if name not in seen:
                seen[name] = json.loads(json.dumps(defs[name]))
                reachable(seen[name], defs, seen)
        for value in node.values():
            reachable(value, defs, seen)
    elif isinstance(node, list):
        for value in node:
            reachable(value, defs, seen)


def kind_suffix(api_version):
    group, _, version = api_version.rpartition("/")
    suffix = "-" + (group.split(".")[0].lower() if group else version.lower())
    return suffix + ("-" + version.lower() if group else "")


def build_kubernetes(version, out):
    source = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema", f"v{version}-local-strict")
    if not os.path.isdir(source):
        sys.exit(f"kubernetes-validate has no schemas for Kubernetes {version} ({source})")
    with open(os.path.join(source, "_definitions.json")) as f:
        defs = json.load(f)["$defs"]
    count = 0
    for name in sorted(os.listdir(source)):
        if name.startswith("_") or name == "all.json":
            continue
        with open(os.path.join(source, name)) as f:
            schema = json.load(f)
        # Only top-level kinds (they carry a group-version-kind); lists are never rendered.
        if "x-kubernetes-group-version-kind" not in schema:
            continue
        seen = {}
        reachable(schema, defs, seen)
        schema.pop("$id", None)
        schema["$defs"] = seen
        with open(os.path.join(out, name), "w") as f:
            json.dump(schema, f, separators=(",", ":"))
        count += 1
    return count


def strict(node):
    """additionalProperties: false wherever properties are listed and unknown fields are not preserved."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node and not node.get("x-kubernetes-preserve-unknown-fields"):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)


def build_crds(paths, out):
    count = 0
    for path in paths:
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if not doc or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                for version in spec["versions"]:
                    schema = json.loads(json.dumps(version["schema"]["openAPIV3Schema"]))
                    strict(schema)
                    # apiVersion, kind and metadata are validated by the API server, not the CRD.
                    schema.setdefault("properties", {}).update(
                        {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"}}
                    )
                    api_version = f"{spec['group']}/{version['name']}"
                    name = f"{spec['names']['kind'].lower()}{kind_suffix(api_version)}.json"
                    with open(os.path.join(out, name), "w") as f:
                        json.dump(schema, f, separators=(",", ":"))
                    count += 1
    return count


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    version, out, crds = argv[0], argv[1], argv[2:]
    os.makedirs(out, exist_ok=True)
    kinds = build_kubernetes(version, out)
    custom = build_crds(crds, out)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"kubernetes": version, "kinds": kinds, "customResources": custom, "crdFiles": [os.path.basename(c) for c in crds]}, f)
    print(f"schemas: {kinds} Kubernetes kinds (v{version}), {custom} custom resource versions -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
