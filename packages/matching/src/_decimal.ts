import { Decimal } from 'decimal.js';

/** The Decimal constructor matching computes with: 50 significant digits (exact for any real amount), no exponent notation. */
export const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15 });
