;; One Adam step over n float32s, 4 lanes at a time, in tfjs-backend-wasm's own memory:
;;   m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*(g*g)
;;   out <- p - (m*step) / (sqrt(v)/bc2 + eps)
;; The same float32 operations in the same order as the tfjs ops of Adam.apply, so the
;; results are the same bits. m and v are updated in place; out may not alias p, g, m or v.
;; adamBits: the same with the float32 scalars passed as their bits (i32), as helper threads
;; pass every argument; each thread takes a range of the arrays.
;; Regenerate adam_simd.ts after editing: pnpm --filter @convnets/core gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "adamBits")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $b1 i32) (param $c1 i32) (param $b2 i32) (param $c2 i32)
    (param $step i32) (param $bc2 i32) (param $eps i32)
    (call $adam (local.get $p) (local.get $g) (local.get $m) (local.get $v) (local.get $out) (local.get $n)
      (f32.reinterpret_i32 (local.get $b1)) (f32.reinterpret_i32 (local.get $c1))
      (f32.reinterpret_i32 (local.get $b2)) (f32.reinterpret_i32 (local.get $c2))
      (f32.reinterpret_i32 (local.get $step)) (f32.reinterpret_i32 (local.get $bc2)) (f32.reinterpret_i32 (local.get $eps))))
  (func $adam (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $n i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $step f32) (param $bc2 f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    ;; byte offset of the last whole group of 4
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $simd
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (f32x4.splat (local.get $b1)))
            (f32x4.mul (local.get $gv) (f32x4.splat (local.get $c1)))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (f32x4.splat (local.get $b2)))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $c2)))))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.sub
            (v128.load (i32.add (local.get $p) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $mv) (f32x4.splat (local.get $step)))
              (f32x4.add
                (f32x4.div (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $bc2)))
                (f32x4.splat (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
            (f32.mul (local.get $gs) (local.get $c1))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $out) (local.get $i))
          (f32.sub
            (f32.load (i32.add (local.get $p) (local.get $i)))
            (f32.div
              (f32.mul (local.get $ms) (local.get $step))
              (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $bc2)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))))
