/** R1's second-order gradients through the ProGAN and StyleGAN layers on WebGPU (in CI: SwiftShader). */
import { useBackend } from '@gankit/backends';
import { webgpuUnderTest } from '@gankit/test-utils';
import { describeR1SecondOrder } from './second-order.fixture.js';

describeR1SecondOrder(await webgpuUnderTest(useBackend));
