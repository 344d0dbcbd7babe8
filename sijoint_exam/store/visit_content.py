"""How a visit's content is stored: its canonical JSON, deflated with a dictionary.

Every visit's JSON repeats the same keys and catalogue values ("thigh_thrust",
"saddle_anaesthesia", "not_tested", …), which made it 1.3-2 KB a visit and most
of the file. zlib (RFC 1950) started from a preset dictionary of them stores a
typical visit in 150-350 bytes, free text included (at 2-2.5× for prose). The
smaller file is faster to check on open (every page of an encrypted one is
decrypted and authenticated) and to back up.

A stored value is one format byte, then the zlib stream. The stream names its
dictionary (by Adler-32) and ends with the Adler-32 of the text, so a damaged
or foreign value is refused rather than misread. Format 1's dictionary is
frozen: the records written with it must stay readable, so a better dictionary
is a new format byte and the old one stays here. The hash of a visit (audit,
signature) is always that of the JSON text, never of the stored bytes.
"""

from __future__ import annotations

import zlib

# Free-text vocabulary first, then the catalogue's rarer values, then a whole
# visit with every key: zlib finds nearer matches more cheaply, so what nearly
# every visit repeats comes last. Never edit: see the module's docstring.
_DICTIONARY_1 = (
    b"The patient reports pain in the left and right buttock, groin and posterior "
    b"thigh, worse on standing, walking, sitting, turning in bed and climbing "
    b"stairs, better with rest. Findings consistent with sacroiliac joint pain; "
    b"lumbar spine and hip screened. Provocation tests reproduced the familiar "
    b"pain. Review in two weeks; continue the home exercise programme, manual "
    b"therapy, physiotherapy; consider a diagnostic block, image-guided; refer to "
    b"the spine clinic. Discussed with the patient, who agrees. No neurological "
    b"deficit, straight leg raise negative, reflexes normal. MRI, X-ray, CT: "
    b"no disc herniation, degenerative changes. Pregnancy, postpartum, after a fall, "
    b"lifting, motor vehicle accident, sport, insidious onset. paracetamol, "
    b"ibuprofen, naproxen, "
    b'"anterior_rotation","posterior_rotation","downslip","inflare","outflare",'
    b'"pubic_superior_shear","pubic_inferior_shear","left_on_left","right_on_right",'
    b'"left_on_right","right_on_left","bilateral_flexion","bilateral_extension",'
    b'"unilateral_flexion","unilateral_extension","sacral_sulcus","ila",'
    b'"ischial_tuberosity","pubic_tubercle","midline_sacrum","seated_flexion",'
    b'"supine_to_long_sit","long_to_short","short_to_long","sacral_spring","sphinx",'
    b'"deep","shallow","anterior","posterior","lower","improves","worsens",'
    b'"no_change","unable","bupivacaine","ropivacaine","ultrasound","concentration",'
    b'"volume","urgent","emergency","laslett_2005_four","laslett_2005_six",'
    b'"cms_lcd_2023","right_buttock","right_groin","right_hip","right_knee",'
    b'"right_low_back","left_low_back","left_hip","left_knee","left_lower_leg",'
    b'"right_lower_leg","right_anterior_thigh","left_anterior_thigh",'
    b'"right_posterior_thigh","right_foot","unknown","bilateral","none","other",'
    b'"agent_window_hours":'
    b'{"date":"2026-11-20","clinician":"","symptomatic_side":"left",'
    b'"chief_complaint":"Left buttock pain radiating to the foot","centralised":false,'
    b'"history":{"onset":"2026-06-01","mechanism":"fall onto the left buttock",'
    b'"conservative_care":"6 weeks of physiotherapy, exercise programme","imaging":'
    b'"MRI lumbar spine","medications":"ibuprofen","anticoagulation":false,'
    b'"contrast_allergy":false,"pregnant":false},"referral":{"recipient":"Dr ",'
    b'"question":"consideration of an image-guided diagnostic SIJ block",'
    b'"urgency":"routine","copies":["GP","patient"]},"pain":{"now":6,"best_24h":3,'
    b'"worst_24h":8,"regions":["left_buttock","left_posterior_thigh","left_groin",'
    b'"left_foot"]},"red_flags":{"bladder":"no","saddle_anaesthesia":"no",'
    b'"bowel":"no","sexual":"not_asked","progressive_weakness":"no","fever":"no",'
    b'"cancer_history":"no","weight_loss":"no","trauma":"yes",'
    b'"osteoporosis_steroids":"no","inflammatory_back_pain":"no",'
    b'"pregnancy_postpartum":"no"},"provocation":{"distraction":{"result":'
    b'"positive","pain_side":"left"},"thigh_thrust":{"left":"positive","right":'
    b'"negative"},"compression":{"result":"negative","lying_side":"right"},'
    b'"sacral_thrust":{"result":"not_tested"},"faber":{"left":"positive_other",'
    b'"right":"negative","note":"groin pain"},"gaenslen":{"left":"positive",'
    b'"right":"not_tested"},"yeoman":{"left":"negative","right":"positive"}},'
    b'"scoring":{"rule":"vanderwurff_2006","pretest_probability":0.2,'
    b'"block_threshold_percent":75},"alignment":{"patterns":[{"pattern":"upslip",'
    b'"side":"left"}],"landmarks":{"asis":{"left":"higher"},"psis":{"left":"higher"},'
    b'"iliac_crest":{"left":"higher"},"medial_malleolus":{"left":"higher"}},'
    b'"screening":{"standing_flexion":"left","gillet":{"left":"positive"}}},'
    b'"blocks":[{"date":"2026-10-02","number":1,"side":"left","agent":"lidocaine",'
    b'"steroid":false,"guidance":"fluoroscopy","pre":7,"readings":[{"minutes":30,'
    b'"nrs":1,"patient_percent":90},{"minutes":60,"nrs":2}],"relief_hours":1.5}],'
    b'"odi":{"version":"2.1a","answers":[3,1,4,2,3,3,2,null,2,3]},'
    b'"aslr":{"left":2,"right":0},"assessment":"","plan":""}'
)

FORMAT_DEFLATE_1 = 1
# Every dictionary ever released, by its format byte.
_DICTIONARIES = {FORMAT_DEFLATE_1: _DICTIONARY_1}


class UnreadableContent(ValueError):
    """A stored visit content that is not one this program wrote (damaged,
    edited outside the program, or from a newer version)."""


def pack(text: str) -> bytes:
    """The stored form of a visit's canonical JSON `text`."""
    packer = zlib.compressobj(9, zdict=_DICTIONARY_1)
    return bytes([FORMAT_DEFLATE_1]) + packer.compress(text.encode()) + packer.flush()


def unpack(stored: bytes) -> str:
    """The canonical JSON text of a stored visit content.

    Raises:
        UnreadableContent: `stored` is not a value `pack` wrote.
    """
    if not isinstance(stored, bytes) or not stored:
        raise UnreadableContent(
            "the stored visit content is not one this program wrote"
        )
    dictionary = _DICTIONARIES.get(stored[0])
    if dictionary is None:
        raise UnreadableContent(
            f"the stored visit content has format {stored[0]}, which this version "
            "does not know (written by a newer version?)"
        )
    unpacker = zlib.decompressobj(zdict=dictionary)
    try:
        data = unpacker.decompress(stored[1:]) + unpacker.flush()
        complete = unpacker.eof and not unpacker.unused_data
        text = data.decode() if complete else None
    except (zlib.error, UnicodeDecodeError) as exc:
        raise UnreadableContent(
            f"the stored visit content is damaged ({exc})"
        ) from None
    if text is None:
        raise UnreadableContent("the stored visit content is damaged (cut short)")
    return text
