"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.data = exports.files = void 0;
exports.auc = auc;
exports.ops = ops;
exports.summary = summary;
const youtube_csv_1 = require("../scripts/lib/youtube-csv");
exports.files = ['Youtube01-Psy.csv', 'Youtube02-KatyPerry.csv', 'Youtube03-LMFAO.csv'];
exports.data = exports.files.map((f) => (0, youtube_csv_1.loadYoutubeCsv)(`data/youtube-spam/${f}`).map((r) => ({ input: { body: r.content, authorName: r.author }, label: r.label, group: r.source })));
function auc(xs) {
    const s = xs.filter((x) => x.spam).map((x) => x.p), h = xs.filter((x) => !x.spam).map((x) => x.p);
    let c = 0;
    for (const a of s)
        for (const b of h)
            c += a > b ? 1 : a === b ? 0.5 : 0;
    return c / (s.length * h.length);
}
/** recall at ham FPR<=1% and spam below ham 84th pct */
function ops(xs) {
    const hams = xs.filter((x) => !x.spam).map((x) => x.p).sort((a, b) => b - a);
    const spams = xs.filter((x) => x.spam).map((x) => x.p);
    const k1 = Math.floor(hams.length * 0.01);
    const cutS = hams[k1]; // strictly greater than cutS -> at most k1 ham blocked
    const rec = spams.filter((p) => p > cutS).length / spams.length;
    const k16 = Math.floor(hams.length * 0.16);
    const cutH = hams[k16];
    const pub = spams.filter((p) => p <= cutH).length / spams.length;
    return { auc: auc(xs), rec1: rec, pub16: pub };
}
function summary(name, all) {
    const parts = [name.padEnd(40)];
    for (const g of exports.files) {
        const o = ops(all.filter((x) => x.g === g));
        parts.push(`${g.slice(10, 13)} auc ${o.auc.toFixed(3)} rec1 ${o.rec1.toFixed(3)} pub16 ${o.pub16.toFixed(3)}`);
    }
    const o = ops(all);
    parts.push(`POOL auc ${o.auc.toFixed(3)} rec1 ${o.rec1.toFixed(3)} pub16 ${o.pub16.toFixed(3)}`);
    console.log(parts.join(' | '));
}
