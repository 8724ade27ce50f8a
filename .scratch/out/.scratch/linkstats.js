"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const lib_1 = require("./lib");
const url_features_1 = require("../src/moderation/classifier/url-features");
const tokenizer_1 = require("../src/moderation/classifier/tokenizer");
for (let t = 0; t < 3; t++) {
    const c = { spamL: 0, spam: 0, hamL: 0, ham: 0 };
    const hamLinks = [];
    for (const e of lib_1.data[t]) {
        const s = (0, url_features_1.scanLinks)((0, tokenizer_1.normalise)(e.input.body));
        const has = s.linkCount > 0;
        if (e.label === 'spam') {
            c.spam++;
            if (has)
                c.spamL++;
        }
        else {
            c.ham++;
            if (has) {
                c.hamL++;
                hamLinks.push(s.features.join(',') + ' <= ' + e.input.body.slice(0, 80));
            }
        }
    }
    console.log(lib_1.files[t], c);
    for (const h of hamLinks)
        console.log('   ', h);
}
