/*
 * Internal GSS-layer types and entry points of the NTLM mechanism, one header per job; this
 * one includes them all. The exported gss_* symbols in ntlm_exports.c are thin wrappers over
 * the ntlm_gss_* functions the headers declare; nothing in the module calls an exported name.
 */
#ifndef NTLM_GSS_H
#define NTLM_GSS_H

#include "ntlm_gss_context.h"
#include "ntlm_gss_creds.h"
#include "ntlm_gss_mech.h"
#include "ntlm_gss_names.h"
#include "ntlm_gss_protect.h"

#endif
