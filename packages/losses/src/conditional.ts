import * as tf from '@tensorflow/tfjs-core';

/** −E log softmax(logits)[label]: softmax cross-entropy with integer labels, via logsumexp. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, k, 1, 0, 'float32')), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)) as tf.Scalar;
  });
}

/**
 * AC-GAN's auxiliary classification loss (Odena et al. 2017): −E log P(C = c | x) for the class head's logits,
 * added to both D's loss (on real and fake batches) and G's (on fakes, with the classes G was asked for).
 */
export function auxiliaryClassifierLoss(classLogits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return softmaxCrossEntropy(classLogits, labels);
}

export interface InfoGanTerms {
  /** Q's logits for each categorical code, `[batch, k_i]`. */
  categoricalLogits: tf.Tensor2D[];
  /** The categorical codes G was given, as integer ids `[batch]`. */
  categoricalCodes: tf.Tensor1D[];
  /** Q's Gaussian means and log-σ for the continuous codes, `[batch, c]` each. */
  mean?: tf.Tensor2D;
  logStd?: tf.Tensor2D;
  /** The continuous codes G was given, `[batch, c]`. */
  continuousCodes?: tf.Tensor2D;
  /** Weight λ of the categorical term (1 in the paper). */
  lambdaCategorical?: number;
  /** Weight λ of the continuous term. */
  lambdaContinuous?: number;
  /** Use this fixed σ instead of Q's log-σ (the paper's MNIST runs treat σ as fixed). */
  fixedStd?: number;
}

/**
 * InfoGAN's mutual-information penalty (Chen et al. 2016): −λ·L_I, the negative variational lower bound on
 * I(c; G(z, c)), i.e. the negative log-likelihood of the codes under Q — categorical cross-entropy, plus the
 * Gaussian NLL log σ + (c − μ)²/2σ² + ½ log 2π for continuous codes. Minimised by both G and Q (D's head).
 */
export function infoGanLoss(terms: InfoGanTerms): tf.Scalar {
  const { lambdaCategorical = 1, lambdaContinuous = 1 } = terms;
  if (terms.categoricalLogits.length !== terms.categoricalCodes.length) {
    throw new Error(
      `infoGanLoss: ${terms.categoricalLogits.length} categorical heads but ${terms.categoricalCodes.length} code tensors`,
    );
  }
  return tf.tidy(() => {
    let total: tf.Tensor = tf.scalar(0);
    terms.categoricalLogits.forEach((logits, i) => {
      total = tf.add(
        total,
        tf.mul(softmaxCrossEntropy(logits, terms.categoricalCodes[i]!), lambdaCategorical),
      );
    });
    if (terms.continuousCodes != null) {
      if (terms.mean == null)
        throw new Error("infoGanLoss: continuous codes need Q's means (and log-σ or fixedStd)");
      const logStd =
        terms.fixedStd != null ? tf.fill(terms.mean.shape, Math.log(terms.fixedStd)) : terms.logStd;
      if (logStd == null) throw new Error('infoGanLoss: pass logStd from Q, or fixedStd');
      const z = tf.div(tf.sub(terms.continuousCodes, terms.mean), tf.exp(logStd));
      const nll = tf.add(tf.add(logStd, tf.mul(tf.square(z), 0.5)), 0.5 * Math.log(2 * Math.PI));
      total = tf.add(total, tf.mul(tf.mean(tf.sum(nll, 1)), lambdaContinuous));
    }
    return total as tf.Scalar;
  });
}

/**
 * Feature matching (Salimans et al. 2016): G matches the mean of an intermediate D feature on real and fake
 * batches, ‖E f(x) − E f(G(z))‖², averaged over the features.
 */
export function featureMatching(realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0)))) as tf.Scalar,
  );
}

/** Mean absolute error, E|a − b| (pix2pix's L1 term). */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar);
}

/** Mean squared error, E(a − b)². */
export function l2(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar);
}

/**
 * CycleGAN's cycle consistency (Zhu et al. 2017): E|F(G(x)) − x| + E|G(F(y)) − y|, from the two reconstructions.
 */
export function cycleConsistency(
  x: tf.Tensor,
  reconstructedX: tf.Tensor,
  y: tf.Tensor,
  reconstructedY: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => tf.add(l1(reconstructedX, x), l1(reconstructedY, y)) as tf.Scalar);
}
