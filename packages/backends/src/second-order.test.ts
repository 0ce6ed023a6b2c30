// The WebGPU cases are second-order.gpu.test.ts' (the software-GPU lane of the test run).
import { describeSecondOrder } from './second-order.fixture.js';

describeSecondOrder(['cpu', 'wasm']);
