/** Path-length regularisation's second-order gradients on WebGPU (Dawn; in CI the software adapter SwiftShader). */
import { useBackend } from '@gankit/backends';
import { webgpuUnderTest } from '@gankit/test-utils';
import { describePathLengthGradients } from './path-length.fixture.js';

describePathLengthGradients(await webgpuUnderTest(useBackend));
