// Validates every Kubernetes object in the YAML files given against the schema of its kind, as the
// API server would (types, required fields, formats), without a cluster. One line per object;
// exit status 1 when any is invalid or of a kind with no known schema.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// API groups whose models come from another package than kubernetes-models.
const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

async function model(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = packages[group] ? `${packages[group]}/${group}/${version}/${kind}` : `kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`;
  const module = await import(path);
  return module[kind] ?? module.default;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJS();
    if (!object) continue;
    const name = `${file}: ${object.kind}/${object.metadata?.name}`;
    try {
      const Model = await model(object.apiVersion, object.kind);
      new Model(object).validate();
      console.log(`valid ${name}`);
    } catch (error) {
      failed++;
      console.log(`INVALID ${name}: ${error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
