// npm run-able as `npx tsx scripts/train-fraud-model.ts`: trains the fraud model on the seeded synthetic
// data set and writes data/fraud-model.json plus the evaluation in lib/fraud/MODEL.md. Reproducible: the
// same code gives byte-identical files (a test checks that the committed model is what this produces).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderModelCard } from "../lib/fraud/model/model-card";
import { trainFraudModel } from "../lib/fraud/model/train";

const root = path.resolve(import.meta.dirname, "..");
const model = trainFraudModel();
writeFileSync(path.join(root, "data/fraud-model.json"), JSON.stringify(model, null, 2) + "\n");
writeFileSync(path.join(root, "lib/fraud/MODEL.md"), renderModelCard(model));
console.log(`wrote data/fraud-model.json (${model.version}) and lib/fraud/MODEL.md: ROC AUC ${model.metrics.rocAuc}, precision at block ${model.metrics.precisionAtBlock}`);
