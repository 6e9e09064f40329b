/* SPDX-License-Identifier: MIT */
/* Tests of PETRARCH compatibility: Penn trees to dependencies, CoNLL-U,
 * the validation XML reader, and the PETRARCH-2 dictionary readers feeding
 * the coder. Every input here is made up for the test. */
#include "test.h"

#include "dyad/dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Index of the token spelled w, -1 when absent. */
static int tok(const dy_ptok *t, size_t n, const char *w)
{
  size_t i;
  for (i = 0; i < n; i++)
    if (strcmp(t[i].form, w) == 0)
      return (int)i;
  return -1;
}

/* "dep head-form" of token w. */
static const char *rel(const dy_ptok *t, size_t n, const char *w)
{
  static char buf[128];
  int i = tok(t, n, w);
  if (i < 0)
    return "absent";
  snprintf(buf, sizeof buf, "%s %s", dy_dep_name(t[i].dep),
           t[i].head >= 0 ? t[t[i].head].form : "ROOT");
  return buf;
}

static int parse(dy_arena *a, const char *s, dy_ptok **t, size_t *n)
{
  dy_err err;
  int rc = dy_penn_parse(s, strlen(s), a, t, n, &err);
  if (rc < 0)
    fprintf(stderr, "  penn: %s\n", err.msg);
  return rc;
}

void test_penn_deps_basic(void)
{
  dy_arena a;
  dy_ptok *t;
  size_t n;
  dy_arena_init(&a, 0);
  CHECK_EQ_INT(parse(&a,
                     "(ROOT (S (NP (NNP Arnor)) (VP (VBD accused) (NP (NNP "
                     "Gondor)) (PP (IN of) (NP (JJ new) (NN aggression)))) "
                     "(. .)))",
                     &t, &n),
               DY_OK);
  CHECK_EQ_INT((int)n, 7);
  CHECK_EQ_STR(rel(t, n, "accused"), "root ROOT");
  CHECK_EQ_STR(rel(t, n, "Arnor"), "nsubj accused");
  CHECK_EQ_STR(rel(t, n, "Gondor"), "obj accused");
  CHECK_EQ_STR(rel(t, n, "aggression"), "obl accused");
  CHECK_EQ_STR(rel(t, n, "of"), "case aggression");
  CHECK_EQ_STR(rel(t, n, "new"), "amod aggression");
  CHECK_EQ_STR(rel(t, n, "."), "punct accused");
  CHECK_EQ_INT(t[tok(t, n, "Arnor")].upos, DY_UPOS_PROPN);
  CHECK_EQ_INT(t[tok(t, n, "accused")].xpos, DY_XPOS_VBD);
  CHECK_EQ_INT(t[tok(t, n, "accused")].upos, DY_UPOS_VERB);
  dy_arena_fini(&a);
}

void test_penn_deps_passive(void)
{
  dy_arena a;
  dy_ptok *t;
  size_t n;
  dy_arena_init(&a, 0);
  CHECK_EQ_INT(parse(&a,
                     "( (S (NP (NNP Gondor)) (VP (VBD was) (VP (VBN "
                     "attacked) (PP (IN by) (NP (NNP Arnor))))) (. .)))",
                     &t, &n),
               DY_OK);
  CHECK_EQ_STR(rel(t, n, "attacked"), "root ROOT");
  CHECK_EQ_STR(rel(t, n, "Gondor"), "nsubj:pass attacked");
  CHECK_EQ_STR(rel(t, n, "was"), "aux:pass attacked");
  CHECK_EQ_STR(rel(t, n, "Arnor"), "obl:agent attacked");
  CHECK_EQ_STR(rel(t, n, "by"), "case Arnor");
  CHECK_EQ_INT(t[tok(t, n, "was")].upos, DY_UPOS_AUX);
  dy_arena_fini(&a);
}

void test_penn_deps_clauses(void)
{
  dy_arena a;
  dy_ptok *t;
  size_t n;
  dy_arena_init(&a, 0);
  CHECK_EQ_INT(
      parse(&a,
            "(ROOT (S (NP (NP (NNP Arnor) (POS 's)) (NN leader)) (VP (VBD "
            "said) (SBAR (IN that) (S (NP (PRP it)) (VP (MD will) (RB not) "
            "(VP (VB give) (NP (NNP Gondor)) (NP (NNS arms))))))) (. .)))",
            &t, &n),
      DY_OK);
  CHECK_EQ_STR(rel(t, n, "said"), "root ROOT");
  CHECK_EQ_STR(rel(t, n, "leader"), "nsubj said");
  CHECK_EQ_STR(rel(t, n, "Arnor"), "nmod:poss leader");
  CHECK_EQ_STR(rel(t, n, "'s"), "case Arnor");
  CHECK_EQ_STR(rel(t, n, "give"), "ccomp said");
  CHECK_EQ_STR(rel(t, n, "that"), "mark give");
  CHECK_EQ_STR(rel(t, n, "will"), "aux give");
  CHECK_EQ_STR(rel(t, n, "not"), "advmod give");
  CHECK_EQ_STR(rel(t, n, "Gondor"), "iobj give");
  CHECK_EQ_STR(rel(t, n, "arms"), "obj give");
  CHECK_EQ_INT(
      parse(&a,
            "(ROOT (S (NP (NNP Rohan) (CC and) (NNP Gondor)) (VP (VP (VBD "
            "tried) (S (VP (TO to) (VP (VB call) (PRT (RP off)) (NP (DT the) "
            "(NN truce)))))) (CC but) (VP (VBD failed))) (SBAR (IN because) "
            "(S (NP (PRP they)) (VP (VBD quarrelled))))))",
            &t, &n),
      DY_OK);
  CHECK_EQ_STR(rel(t, n, "tried"), "root ROOT");
  CHECK_EQ_STR(rel(t, n, "call"), "xcomp tried");
  CHECK_EQ_STR(rel(t, n, "to"), "mark call");
  CHECK_EQ_STR(rel(t, n, "off"), "compound:prt call");
  CHECK_EQ_STR(rel(t, n, "truce"), "obj call");
  CHECK_EQ_STR(rel(t, n, "the"), "det truce");
  CHECK_EQ_STR(rel(t, n, "failed"), "conj tried");
  CHECK_EQ_STR(rel(t, n, "but"), "cc tried");
  CHECK_EQ_STR(rel(t, n, "quarrelled"), "advcl tried");
  CHECK_EQ_STR(rel(t, n, "because"), "mark quarrelled");
  CHECK_EQ_STR(rel(t, n, "Rohan"), "nsubj tried");
  CHECK_EQ_STR(rel(t, n, "Gondor"), "conj Rohan");
  CHECK_EQ_STR(rel(t, n, "and"), "cc Rohan");
  dy_arena_fini(&a);
}

void test_penn_malformed(void)
{
  static const char *const bad[] = {
      "",      "(", "(S (NP", ")", "(S (NN a) b)", "((()))", "(S (NN a)) (S)",
      "(NN a", NULL};
  dy_arena a;
  dy_ptok *t;
  size_t n;
  dy_err err;
  char deep[2000];
  int i;
  dy_arena_init(&a, 0);
  for (i = 0; bad[i]; i++)
    CHECK(dy_penn_parse(bad[i], strlen(bad[i]), &a, &t, &n, &err) < 0);
  for (i = 0; i < 900; i++)
    deep[i] = '(';
  deep[i] = '\0';
  CHECK(dy_penn_parse(deep, strlen(deep), &a, &t, &n, &err) < 0);
  /* a tag without the -NONE- leaf still yields the real words */
  CHECK_EQ_INT(dy_penn_parse("(S (NP (-NONE- *)) (VP (VBD left)))", 35, &a, &t,
                             &n, &err),
               DY_OK);
  CHECK_EQ_INT((int)n, 1);
  dy_arena_fini(&a);
}

void test_conllu_read(void)
{
  static const char s[] =
      "# sent_id = x1\n"
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tthreatened\tthreaten\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3-4\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
      "3\tGondor\tGondor\tPROPN\tNNP\t_\t2\tobj\t_\t_\n";
  dy_arena a;
  dy_ptok *t;
  size_t n;
  dy_err err;
  dy_arena_init(&a, 0);
  CHECK_EQ_INT(dy_conllu_parse(s, strlen(s), &a, &t, &n, &err), DY_OK);
  CHECK_EQ_INT((int)n, 3);
  CHECK_EQ_STR(rel(t, n, "Arnor"), "nsubj threatened");
  CHECK_EQ_STR(rel(t, n, "threatened"), "root ROOT");
  CHECK_EQ_STR(t[1].lemma, "threaten");
  CHECK(dy_conllu_parse("1\tx\n", 4, &a, &t, &n, &err) == DY_EFORMAT);
  dy_arena_fini(&a);
}

void test_pxml_read(void)
{
  static const char s[] =
      "<Validation>\nfree text in the header\n<Environment>"
      "<Verbfile>v.verbs.txt</Verbfile><Actorfile>a.actors.txt</Actorfile>"
      "<Actorfile>b.actors.txt</Actorfile></Environment>\n"
      "<!-- a comment <Sentence id=\"no\"> -->\n"
      "<Sentence date=\"20240102\" id=\"R1\"/>\n"
      "<EventCoding sourcecode = 'ARN' targetcode=\"GON\" "
      "eventcode=\"064\" />\n"
      "<EventCoding sourcecode=\"ARN\" targetcode=\"ROH\" "
      "eventcode=\"0841\"></EventCoding>\n"
      "<Text>\n Arnor  &amp; friends\n met Gondor.\n</Text>\n"
      "<Parse>(S (NN x))</Parse>\n</Sentence>\n"
      "<Sentence date=\"bad\" id=\"R2\">\n"
      "<EventCoding noevents=\"True\"></EventCoding>\n"
      "<Text>Nothing.</Text></Sentence>\n<EventCoding eventcode=\"1\">\n";
  dy_pxml *x = NULL;
  dy_err err;
  CHECK_EQ_INT(dy_pxml_parse(s, strlen(s), &x, &err), DY_OK);
  if (x == NULL)
    return;
  CHECK_EQ_INT((int)x->nrecs, 2);
  CHECK_EQ_STR(x->recs[0].id, "R1");
  CHECK_EQ_STR(x->recs[0].date, "2024-01-02");
  CHECK_EQ_STR(x->recs[0].text, "Arnor & friends met Gondor.");
  CHECK_EQ_STR(x->recs[0].parse, "(S (NN x))");
  CHECK_EQ_INT((int)x->recs[0].ngold, 2);
  CHECK_EQ_STR(x->recs[0].gold[0].source, "ARN");
  CHECK_EQ_STR(x->recs[0].gold[1].code, "0841");
  CHECK_EQ_STR(x->recs[1].date, "");
  CHECK(x->recs[1].noevents);
  CHECK_EQ_STR(x->verbfile, "v.verbs.txt");
  CHECK_EQ_STR(x->actorfiles, "a.actors.txt,b.actors.txt");
  CHECK_EQ_INT((int)x->nbad, 1); /* the EventCoding outside a record */
  dy_pxml_free(x);
  CHECK(dy_pxml_parse("<a>", 3, &x, &err) == DY_EFORMAT);
}

static void write_file(const char *dir, const char *name, const char *text)
{
  char path[512];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (f == NULL)
    return;
  fputs(text, f);
  fclose(f);
}

/* Codes text on the given date; returns "SRC TGT CODE;..." */
static const char *code_str(dy_engine *e, const char *text, const char *date)
{
  static char out[512];
  dy_doc *d = NULL;
  size_t i, used = 0;
  out[0] = '\0';
  if (dy_doc_new(e, NULL, &d) < 0)
    return "nomem";
  if (dy_doc_analyse(d, text, strlen(text), "t", date) == DY_OK &&
      dy_doc_code(d) == DY_OK)
    for (i = 0; i < dy_doc_nevents(d); i++) {
      const dy_event *ev = dy_doc_event(d, i);
      used += (size_t)snprintf(out + used, sizeof out - used, "%s %s %s;",
                               ev->source.code, ev->target.code, ev->code);
      if (used >= sizeof out)
        break;
    }
  dy_doc_free(d);
  return out;
}

/* Removes the temporary dictionary directory dir. */
static void rm_dir(const char *dir)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_EQ_INT(system(cmd), 0);
}

/* *e: an engine over a verb file and an actor file written into dir;
 * NULL (the test failed) when it does not open. */
static void open_verbs_actors(const char *dir, const char *verbs,
                              const char *actors, dy_engine **e)
{
  dy_engine_opts o;
  dy_err err;
  *e = NULL;
  write_file(dir, "t.verbs.txt", verbs);
  write_file(dir, "t.actors.txt", actors);
  memset(&o, 0, sizeof o);
  o.dict_dir = dir;
  o.dict_files = "t.verbs.txt,t.actors.txt";
  if (dy_engine_open(&o, e, &err) != DY_OK)
    fprintf(stderr, "  %s\n", err.msg);
  CHECK(*e != NULL);
}

void test_pdict_load_and_code(void)
{
  char dir[] = "/tmp/dyad-pdict-XXXXXX";
  dy_engine_opts o;
  dy_engine *e = NULL;
  dy_engine_stats st;
  dy_err err;
  if (mkdtemp(dir) == NULL) {
    CHECK(0);
    return;
  }
  write_file(dir, "t.verbs.txt",
             "# test verbs\n&PACT\n+TREATY\n+PEACE_ACCORD\n\n"
             "--- SIGN [---] ---\nSIGN\nINK {INKS INKED INKING}\n"
             "- * &PACT [057] # SIGN\n- * + [040]\n"
             "- * $ [011]\n- * [05x\n\n"
             "--- ACCUSE [112] ---\nACCUSE\n- * + (OF VIOLAT) [1123]\n"
             "~ a (_ b X) WANT = a b 138\n");
  write_file(dir, "t.actors.txt",
             "ARNOR_ [ARN]\n+ARNORIAN\nGONDOR [GON]\n"
             "ARAGORN_\n\t[ARNGOV 20200101-20221231]\n\t[GONGOV >20230101]\n"
             "BAD_ACTOR [ARN 2020]\n");
  write_file(dir, "t.agents.txt",
             "!PERSON! = MAN, MEN\nSOLDIER [~MIL]\nRANGER!PERSON! [~REB]\n"
             "NO CODE HERE\n");
  write_file(dir, "t.discards.txt", "FOOTBALL MATCH\n");
  memset(&o, 0, sizeof o);
  o.dict_dir = dir;
  o.dict_files = "t.verbs.txt,t.actors.txt,t.agents.txt,t.discards.txt";
  CHECK_EQ_INT(dy_engine_open(&o, &e, &err), DY_OK);
  if (e == NULL) {
    fprintf(stderr, "  %s\n", err.msg);
    return;
  }
  dy_engine_stats_get(e, &st);
  CHECK_EQ_INT((int)st.bad_lines, 3); /* [05x, [ARN 2020], NO CODE HERE */
  CHECK_EQ_INT((int)st.people, 1);
  CHECK_EQ_INT((int)st.discards, 1);
  CHECK(st.unsupported >= 2); /* "$" after the verb, the (_ b X) ~ rule */
  CHECK_EQ_STR(
      code_str(e, "Arnor signed a peace accord with Gondor.", "2024-01-01"),
      "ARN GON 057;");
  CHECK_EQ_STR(code_str(e, "Arnor inked the treaty with Gondor.", "2024-01-01"),
               "ARN GON 057;");
  CHECK_EQ_STR(code_str(e, "Arnor signed with Gondor.", "2024-01-01"),
               "ARN GON 040;");
  CHECK_EQ_STR(code_str(e, "Aragorn accused Gondor of violating the truce.",
                        "2021-06-01"),
               "ARNGOV GON 1123;");
  CHECK_EQ_STR(
      code_str(e, "Aragorn accused Arnor of violations.", "2024-06-01"),
      "GONGOV ARN 1123;");
  CHECK_EQ_STR(code_str(e, "Gondor soldiers accused Arnor.", "2024-06-01"),
               "GONMIL ARN 112;");
  CHECK_EQ_STR(code_str(e, "Arnorian rangermen accused Gondor.", "2024-06-01"),
               "ARNREB GON 112;");
  CHECK_EQ_STR(code_str(e, "After the football match Arnor accused Gondor.",
                        "2024-06-01"),
               "");
  dy_engine_free(e);
  /* strict mode stops at the first bad line, naming file and line */
  o.strict = 1;
  CHECK(dy_engine_open(&o, &e, &err) < 0);
  CHECK(strstr(err.msg, "t.verbs.txt:12") != NULL);
  rm_dir(dir);
}

/* Codes one CoNLL-U sentence (a given parse, so no parser model is
 * involved); returns "SRC TGT CODE;..." */
static const char *code_conllu(dy_engine *e, const char *conllu)
{
  static char out[256];
  dy_arena a;
  dy_ptok *t;
  size_t n, i, used = 0;
  dy_err err;
  dy_doc *d = NULL;
  out[0] = '\0';
  dy_arena_init(&a, 0);
  if (dy_conllu_parse(conllu, strlen(conllu), &a, &t, &n, &err) == DY_OK &&
      dy_doc_new(e, NULL, &d) == DY_OK &&
      dy_doc_analyse_tokens(d, t, n, "t", "2024-01-01") == DY_OK &&
      dy_doc_code(d) == DY_OK)
    for (i = 0; i < dy_doc_nevents(d); i++) {
      const dy_event *ev = dy_doc_event(d, i);
      used += (size_t)snprintf(out + used, sizeof out - used, "%s %s %s;",
                               ev->source.code, ev->target.code, ev->code);
      if (used >= sizeof out)
        break;
    }
  dy_doc_free(d);
  dy_arena_fini(&a);
  return out;
}

/* An actor stating its own future action expresses the intent to act
 * (03x); "would" under a past-tense speech verb is the backshifted will;
 * someone else's future is a forecast and codes nothing. */
void test_petr_stated_intent(void)
{
  char dir[] = "/tmp/dyad-intent-XXXXXX";
  dy_engine *e = NULL;
  /* Arnor announced it would free Gondorian prisoners . */
  static const char said_own_would[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tannounced\tannounce\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tit\tit\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n"
      "4\twould\twould\tAUX\tMD\t_\t5\taux\t_\t_\n"
      "5\tfree\tfree\tVERB\tVB\t_\t2\tccomp\t_\t_\n"
      "6\tGondorian\tGondorian\tADJ\tJJ\t_\t7\tamod\t_\t_\n"
      "7\tprisoners\tprisoner\tNOUN\tNNS\t_\t5\tobj\t_\t_\n"
      "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
  /* Arnor announced Rohan would free Gondorian prisoners . */
  static const char said_other_would[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tannounced\tannounce\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tRohan\tRohan\tPROPN\tNNP\t_\t5\tnsubj\t_\t_\n"
      "4\twould\twould\tAUX\tMD\t_\t5\taux\t_\t_\n"
      "5\tfree\tfree\tVERB\tVB\t_\t2\tccomp\t_\t_\n"
      "6\tGondorian\tGondorian\tADJ\tJJ\t_\t7\tamod\t_\t_\n"
      "7\tprisoners\tprisoner\tNOUN\tNNS\t_\t5\tobj\t_\t_\n"
      "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
  /* Arnor will free Gondorian prisoners . */
  static const char will[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t3\tnsubj\t_\t_\n"
      "2\twill\twill\tAUX\tMD\t_\t3\taux\t_\t_\n"
      "3\tfree\tfree\tVERB\tVB\t_\t0\troot\t_\t_\n"
      "4\tGondorian\tGondorian\tADJ\tJJ\t_\t5\tamod\t_\t_\n"
      "5\tprisoners\tprisoner\tNOUN\tNNS\t_\t3\tobj\t_\t_\n"
      "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n";
  /* Arnor freed Gondorian prisoners . */
  static const char freed[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tfreed\tfree\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tGondorian\tGondorian\tADJ\tJJ\t_\t4\tamod\t_\t_\n"
      "4\tprisoners\tprisoner\tNOUN\tNNS\t_\t2\tobj\t_\t_\n"
      "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
  /* Arnor said it would meet Gondor . */
  static const char would_meet[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tit\tit\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n"
      "4\twould\twould\tAUX\tMD\t_\t5\taux\t_\t_\n"
      "5\tmeet\tmeet\tVERB\tVB\t_\t2\tccomp\t_\t_\n"
      "6\tGondor\tGondor\tPROPN\tNNP\t_\t5\tobj\t_\t_\n"
      "7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
  /* Arnor said it would fight Gondor . */
  static const char would_fight[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tit\tit\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n"
      "4\twould\twould\tAUX\tMD\t_\t5\taux\t_\t_\n"
      "5\tfight\tfight\tVERB\tVB\t_\t2\tccomp\t_\t_\n"
      "6\tGondor\tGondor\tPROPN\tNNP\t_\t5\tobj\t_\t_\n"
      "7\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";

  if (mkdtemp(dir) == NULL) {
    CHECK(0);
    return;
  }
  open_verbs_actors(dir,
                    "--- SAY [010] ---\nSAY {SAYS SAID SAYING}\nANNOUNCE\n\n"
                    "--- RELEASE [080] ---\nFREE {FREES FREED FREEING}\n"
                    "- * PRISONERS [0841] # FREE\n\n"
                    "--- MEET [040] ---\nMEET {MEETS MET MEETING}\n\n"
                    "--- FIGHT [190] ---\nFIGHT {FIGHTS FOUGHT FIGHTING}\n",
                    "ARNOR_ [ARN]\nGONDOR [GON]\n+GONDORIAN\nROHAN [ROH]\n",
                    &e);
  if (e == NULL)
    return;
  CHECK_EQ_STR(code_conllu(e, freed), "ARN GON 0841;");
  CHECK_EQ_STR(code_conllu(e, will), "ARN GON 0352;");
  CHECK_EQ_STR(code_conllu(e, said_own_would), "ARN GON 0352;");
  CHECK_EQ_STR(code_conllu(e, said_other_would), "");
  /* meeting has no intent code: "would meet" codes like "will meet" */
  CHECK_EQ_STR(code_conllu(e, would_meet), "ARN GON 040;");
  CHECK_EQ_STR(code_conllu(e, would_fight), "ARN GON 138;");
  dy_engine_free(e);
  rm_dir(dir);
}

/* The to-clause of an intent verb (030) is intended, not done (seek +
 * deepen: 031); co-operation by a conjoined subject with no target is
 * mutual, as PETRARCH-2 codes it; other codes are not. */
void test_petr_intended_mutual(void)
{
  char dir[] = "/tmp/dyad-mutual-XXXXXX";
  dy_engine *e = NULL;
  /* Arnor and Gondor are seeking to deepen their ties . */
  static const char seeking[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t5\tnsubj\t_\t_\n"
      "2\tand\tand\tCCONJ\tCC\t_\t3\tcc\t_\t_\n"
      "3\tGondor\tGondor\tPROPN\tNNP\t_\t1\tconj\t_\t_\n"
      "4\tare\tbe\tAUX\tVBP\t_\t5\taux\t_\t_\n"
      "5\tseeking\tseek\tVERB\tVBG\t_\t0\troot\t_\t_\n"
      "6\tto\tto\tPART\tTO\t_\t7\tmark\t_\t_\n"
      "7\tdeepen\tdeepen\tVERB\tVB\t_\t5\txcomp\t_\t_\n"
      "8\ttheir\tthey\tPRON\tPRP$\t_\t9\tnmod:poss\t_\t_\n"
      "9\tties\ttie\tNOUN\tNNS\t_\t7\tobj\t_\t_\n"
      "10\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_\n";
  /* Arnor pledged to deepen ties with Gondor . */
  static const char pledged[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
      "2\tpledged\tpledge\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "3\tto\tto\tPART\tTO\t_\t4\tmark\t_\t_\n"
      "4\tdeepen\tdeepen\tVERB\tVB\t_\t2\txcomp\t_\t_\n"
      "5\tties\ttie\tNOUN\tNNS\t_\t4\tobj\t_\t_\n"
      "6\twith\twith\tADP\tIN\t_\t7\tcase\t_\t_\n"
      "7\tGondor\tGondor\tPROPN\tNNP\t_\t4\tobl\t_\t_\n"
      "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
  /* Arnor and Gondor deepened their ties . */
  static const char deepened[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n"
      "2\tand\tand\tCCONJ\tCC\t_\t3\tcc\t_\t_\n"
      "3\tGondor\tGondor\tPROPN\tNNP\t_\t1\tconj\t_\t_\n"
      "4\tdeepened\tdeepen\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "5\ttheir\tthey\tPRON\tPRP$\t_\t6\tnmod:poss\t_\t_\n"
      "6\tties\ttie\tNOUN\tNNS\t_\t4\tobj\t_\t_\n"
      "7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n";
  /* Arnor and Gondor fought . */
  static const char fought[] =
      "1\tArnor\tArnor\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n"
      "2\tand\tand\tCCONJ\tCC\t_\t3\tcc\t_\t_\n"
      "3\tGondor\tGondor\tPROPN\tNNP\t_\t1\tconj\t_\t_\n"
      "4\tfought\tfight\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n";

  if (mkdtemp(dir) == NULL) {
    CHECK(0);
    return;
  }
  open_verbs_actors(
      dir,
      "--- SEEK [030] ---\nSEEK {SEEKS SOUGHT SEEKING}\nPLEDGE\n\n"
      "--- BOOST [060] ---\nDEEPEN\n\n"
      "--- FIGHT [190] ---\nFIGHT {FIGHTS FOUGHT FIGHTING}\n",
      "ARNOR_ [ARN]\nGONDOR [GON]\n", &e);
  if (e == NULL)
    return;
  CHECK_EQ_STR(code_conllu(e, seeking), "ARN GON 031;GON ARN 031;");
  CHECK_EQ_STR(code_conllu(e, pledged), "ARN GON 031;");
  CHECK_EQ_STR(code_conllu(e, deepened), "ARN GON 060;GON ARN 060;");
  CHECK_EQ_STR(code_conllu(e, fought), "");
  dy_engine_free(e);
  rm_dir(dir);
}
