// COpus: libopus for RTCAudio, the only module that imports it.
// opus_encoder_ctl and opus_decoder_ctl are variadic, which Swift cannot call: each request the
// project uses gets a typed static inline wrapper here, prefixed with the module name.
#ifndef PARLEY_COPUS_SHIM_H
#define PARLEY_COPUS_SHIM_H

#include <opus.h>

static inline int COpus_encoder_set_bitrate(OpusEncoder *st, opus_int32 bitsPerSecond) {
    return opus_encoder_ctl(st, OPUS_SET_BITRATE(bitsPerSecond));
}
static inline int COpus_encoder_set_complexity(OpusEncoder *st, opus_int32 complexity) {
    return opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(complexity));
}
static inline int COpus_encoder_set_inband_fec(OpusEncoder *st, opus_int32 enabled) {
    return opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(enabled));
}
static inline int COpus_encoder_set_dtx(OpusEncoder *st, opus_int32 enabled) {
    return opus_encoder_ctl(st, OPUS_SET_DTX(enabled));
}
static inline int COpus_encoder_set_packet_loss_perc(OpusEncoder *st, opus_int32 percent) {
    return opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(percent));
}
static inline int COpus_encoder_set_signal(OpusEncoder *st, opus_int32 signal) {
    return opus_encoder_ctl(st, OPUS_SET_SIGNAL(signal));
}
static inline int COpus_encoder_set_vbr(OpusEncoder *st, opus_int32 enabled) {
    return opus_encoder_ctl(st, OPUS_SET_VBR(enabled));
}
static inline int COpus_encoder_set_max_bandwidth(OpusEncoder *st, opus_int32 bandwidth) {
    return opus_encoder_ctl(st, OPUS_SET_MAX_BANDWIDTH(bandwidth));
}
static inline int COpus_encoder_get_lookahead(OpusEncoder *st, opus_int32 *samples) {
    return opus_encoder_ctl(st, OPUS_GET_LOOKAHEAD(samples));
}
static inline int COpus_encoder_get_bitrate(OpusEncoder *st, opus_int32 *bitsPerSecond) {
    return opus_encoder_ctl(st, OPUS_GET_BITRATE(bitsPerSecond));
}
static inline int COpus_encoder_get_in_dtx(OpusEncoder *st, opus_int32 *inDTX) {
    return opus_encoder_ctl(st, OPUS_GET_IN_DTX(inDTX));
}
static inline int COpus_encoder_reset_state(OpusEncoder *st) {
    return opus_encoder_ctl(st, OPUS_RESET_STATE);
}
static inline int COpus_decoder_reset_state(OpusDecoder *st) {
    return opus_decoder_ctl(st, OPUS_RESET_STATE);
}
static inline int COpus_decoder_get_last_packet_duration(OpusDecoder *st, opus_int32 *samples) {
    return opus_decoder_ctl(st, OPUS_GET_LAST_PACKET_DURATION(samples));
}
static inline int COpus_decoder_set_gain(OpusDecoder *st, opus_int32 q8dB) {
    return opus_decoder_ctl(st, OPUS_SET_GAIN(q8dB));
}

#endif
