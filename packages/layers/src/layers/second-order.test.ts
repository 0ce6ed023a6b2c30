// The WebGPU cases are second-order.gpu.test.ts' (the software-GPU lane of the test run).
import { describeR1SecondOrder } from './second-order.fixture.js';

describeR1SecondOrder(['cpu', 'wasm']);
