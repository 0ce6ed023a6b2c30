/** Second-order gradients (gradient penalties) on WebGPU (in CI: SwiftShader). */
import { webgpuUnderTest } from '@gankit/test-utils';
import { useBackend } from './node.js';
import { describeSecondOrder } from './second-order.fixture.js';

describeSecondOrder(await webgpuUnderTest(useBackend));
