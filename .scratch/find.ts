import { randomPlan, scenarioSeed } from '../scripts/soak/plan.js';
const out = [];
for (let i = 0; i < 12; i++) { const p = randomPlan(scenarioSeed(42, i)); out.push([i, p.refusal ? JSON.stringify(p.refusal) : '-', p.steps.reduce((n, s) => n + s.produce, 0), p.pageLimit]); }
console.log(out.map(String).join('\n'));
