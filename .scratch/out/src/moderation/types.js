"use strict";
/**
 * The moderation pipeline's contract. Checks receive everything they need in a CheckContext and
 * answer with a CheckResult; they know nothing of HTTP, BullMQ or SQL.
 */
Object.defineProperty(exports, "__esModule", { value: true });
